/** 1234.5 → "1 234,50", the way Ekonomisystemet's amount field wants it. */
export function formatKronor(amount: number): string {
  const ore = Math.round(amount * 100);
  const kronor = Math.floor(ore / 100)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
  return `${kronor},${String(ore % 100).padStart(2, '0')}`;
}
