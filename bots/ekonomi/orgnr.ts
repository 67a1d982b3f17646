import { z } from 'zod';

/** Organisationsnummer as items carry it; "5599000014" is accepted and sent as "559900-0014". */
export const orgnrInput = z
  .string()
  .regex(/^\d{6}-?\d{4}$/, 'an organisationsnummer NNNNNN-NNNN')
  .describe('Organisationsnummer NNNNNN-NNNN');

export function withHyphen(orgnr: string): string {
  const digits = orgnr.replace('-', '');
  return `${digits.slice(0, 6)}-${digits.slice(6)}`;
}
