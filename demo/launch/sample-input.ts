/** Takes the first N data rows of a CSV, XLSX or JSON input (the demo's --sample option). */
import ExcelJS from 'exceljs';

export async function sampleInput(fileName: string, data: Buffer, rows: number | undefined): Promise<Buffer> {
  if (rows === undefined) return data;
  const lower = fileName.toLowerCase();
  if (lower.endsWith('.csv')) {
    const lines = data.toString('utf8').split(/\r?\n/);
    return Buffer.from(lines.slice(0, rows + 1).join('\n') + '\n');
  }
  if (lower.endsWith('.json'))
    return Buffer.from(JSON.stringify((JSON.parse(data.toString('utf8')) as unknown[]).slice(0, rows)));
  if (lower.endsWith('.xlsx')) {
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(data as unknown as ArrayBuffer);
    // A new workbook with the header and the first rows: exceljs's spliceRows leaves the rows
    // in the written file.
    const sheet = book.worksheets[0];
    const sampled = new ExcelJS.Workbook();
    const target = sampled.addWorksheet(sheet.name);
    for (let r = 1; r <= Math.min(sheet.rowCount, rows + 1); r++)
      target.addRow((sheet.getRow(r).values as unknown[]).slice(1));
    return Buffer.from(await sampled.xlsx.writeBuffer());
  }
  throw new Error(`${fileName}: cannot sample this format`);
}
