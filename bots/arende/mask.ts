/** Keeps personnummer out of logs and error messages: only the birth year stays readable. */
const personnummerLike = /\b(\d{2}|\d{4})(\d{4})[-+]?\d{4}\b/g;

export function maskPersonnummer(text: string): string {
  return text.replace(personnummerLike, (_m, year: string) => `${year}****-****`);
}
