/** The server masks with the project's one implementation (audit/mask.ts), under names that read well here. */
export { maskString as maskPersonnummer, maskPersonalData as maskDeep } from '../audit/mask.js';
