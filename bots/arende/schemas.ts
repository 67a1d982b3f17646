/** Input shapes shared by the Ärendesystemet bots. */
import { z } from 'zod';

/** "YYYYMMDD-NNNC" (the hyphen optional); the system itself checks the Luhn digit and the date. */
export const personnummerSchema = z.string().regex(/^\d{8}-?\d{4}$/, 'a personnummer written YYYYMMDD-NNNN');

export const caseTypeSchema = z.enum(['Parkeringstillstånd för rörelsehindrade', 'Befrielse från skolmåltidsavgift']);

export const isoDateSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date written YYYY-MM-DD');
