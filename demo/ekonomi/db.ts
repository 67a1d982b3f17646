/**
 * Ekonomisystemet's own data (better-sqlite3). Deliberately no unique constraint on invoices: like
 * the real legacy system, two posts of the same form that race past the duplicate check both land,
 * so tests can count rows to prove a bot submitted once.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { supplierSeeds } from './suppliers-seed.js';

export interface Supplier {
  orgnr: string;
  name: string;
  address: string;
}

export interface Invoice {
  id: number;
  registrationNumber: string;
  invoiceNumber: string;
  supplierOrgnr: string;
  supplierName: string;
  amountOre: number;
  dueDate: string;
  costCentre: string;
  reference: string;
  registeredBy: string;
  registeredAt: string;
}

/** A supplier's contact person: no reference field and no unique constraint (a form posted twice lands twice). */
export interface Contact {
  id: number;
  supplierOrgnr: string;
  name: string;
  email: string;
}

export type NewInvoice = Omit<Invoice, 'id' | 'registrationNumber' | 'supplierName' | 'registeredAt'>;

const schema = `
CREATE TABLE IF NOT EXISTS suppliers (orgnr TEXT PRIMARY KEY, name TEXT NOT NULL, address TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS invoices (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  registration_number TEXT,
  invoice_number TEXT NOT NULL,
  supplier_orgnr TEXT NOT NULL REFERENCES suppliers(orgnr),
  amount_ore INTEGER NOT NULL,
  due_date TEXT NOT NULL,
  cost_centre TEXT NOT NULL,
  reference TEXT NOT NULL DEFAULT '',
  registered_by TEXT NOT NULL,
  registered_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS invoices_by_number ON invoices(invoice_number);
CREATE TABLE IF NOT EXISTS contacts (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  supplier_orgnr TEXT NOT NULL REFERENCES suppliers(orgnr),
  name TEXT NOT NULL,
  email TEXT NOT NULL,
  added_by TEXT NOT NULL,
  added_at TEXT NOT NULL
);`;

const invoiceColumns = `i.id, i.registration_number AS registrationNumber, i.invoice_number AS invoiceNumber,
  i.supplier_orgnr AS supplierOrgnr, s.name AS supplierName, i.amount_ore AS amountOre, i.due_date AS dueDate,
  i.cost_centre AS costCentre, i.reference, i.registered_by AS registeredBy, i.registered_at AS registeredAt`;

export type EkonomiDb = ReturnType<typeof openEkonomiDb>;

/** Opens (creating and seeding when new) the database at `file`; ':memory:' works too. */
export function openEkonomiDb(file: string) {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.exec(schema);
  const count = db.prepare('SELECT count(*) AS n FROM suppliers').get() as { n: number };
  if (count.n === 0) {
    const insert = db.prepare('INSERT INTO suppliers (orgnr, name, address) VALUES (@orgnr, @name, @address)');
    db.transaction(() => supplierSeeds.forEach((s) => insert.run(s)))();
  }

  return {
    raw: db,
    close: () => db.close(),
    supplier: (orgnr: string) =>
      db.prepare('SELECT orgnr, name, address FROM suppliers WHERE orgnr = ?').get(orgnr) as Supplier | undefined,
    searchSuppliers: (text: string) =>
      db
        .prepare(
          `SELECT orgnr, name, address FROM suppliers WHERE orgnr LIKE @q OR replace(orgnr, '-', '') LIKE @q OR name LIKE @q ORDER BY name LIMIT 50`,
        )
        .all({ q: `%${text}%` }) as Supplier[],
    /** Invoices of one supplier with this invoice number (the duplicate check). */
    sameInvoice: (orgnr: string, invoiceNumber: string) =>
      db
        .prepare(
          `SELECT ${invoiceColumns} FROM invoices i JOIN suppliers s ON s.orgnr = i.supplier_orgnr WHERE i.supplier_orgnr = ? AND i.invoice_number = ?`,
        )
        .all(orgnr, invoiceNumber) as Invoice[],
    invoice: (id: number) =>
      db
        .prepare(
          `SELECT ${invoiceColumns} FROM invoices i JOIN suppliers s ON s.orgnr = i.supplier_orgnr WHERE i.id = ?`,
        )
        .get(id) as Invoice | undefined,
    /** Newest first; `search` matches the invoice number or the reference exactly or in part. */
    listInvoices(search: string, page: number, pageSize: number): { rows: Invoice[]; total: number } {
      const where = search ? 'WHERE i.invoice_number LIKE @q OR i.reference LIKE @q' : '';
      const params = { q: `%${search}%`, limit: pageSize, offset: (page - 1) * pageSize };
      const total = (db.prepare(`SELECT count(*) AS n FROM invoices i ${where}`).get(params) as { n: number }).n;
      const rows = db
        .prepare(
          `SELECT ${invoiceColumns} FROM invoices i JOIN suppliers s ON s.orgnr = i.supplier_orgnr ${where} ORDER BY i.id DESC LIMIT @limit OFFSET @offset`,
        )
        .all(params) as Invoice[];
      return { rows, total };
    },
    insertInvoice(inv: NewInvoice, now: Date = new Date()): Invoice {
      const registeredAt = now.toISOString();
      const id = Number(
        db
          .prepare(
            `INSERT INTO invoices (invoice_number, supplier_orgnr, amount_ore, due_date, cost_centre, reference, registered_by, registered_at)
            VALUES (@invoiceNumber, @supplierOrgnr, @amountOre, @dueDate, @costCentre, @reference, @registeredBy, @registeredAt)`,
          )
          .run({ ...inv, registeredAt }).lastInsertRowid,
      );
      const registrationNumber = `LF-${now.getFullYear()}-${String(id).padStart(6, '0')}`;
      db.prepare('UPDATE invoices SET registration_number = ? WHERE id = ?').run(registrationNumber, id);
      return this.invoice(id)!;
    },
    contactsOf: (orgnr: string) =>
      db
        .prepare(
          'SELECT id, supplier_orgnr AS supplierOrgnr, name, email FROM contacts WHERE supplier_orgnr = ? ORDER BY id',
        )
        .all(orgnr) as Contact[],
    insertContact(contact: Omit<Contact, 'id'>, addedBy: string, now: Date = new Date()): void {
      db.prepare(
        'INSERT INTO contacts (supplier_orgnr, name, email, added_by, added_at) VALUES (@supplierOrgnr, @name, @email, @addedBy, @addedAt)',
      ).run({ ...contact, addedBy, addedAt: now.toISOString() });
    },
    /** Contacts of a supplier with this e-mail address (tests count duplicates with it). */
    countContacts: (orgnr: string, email: string): number =>
      (
        db
          .prepare('SELECT count(*) AS n FROM contacts WHERE supplier_orgnr = ? AND lower(email) = lower(?)')
          .get(orgnr, email) as { n: number }
      ).n,
    /** All invoices, or those with one invoice number (tests count duplicates with it). */
    countInvoices: (invoiceNumber?: string): number =>
      (
        (invoiceNumber === undefined
          ? db.prepare('SELECT count(*) AS n FROM invoices').get()
          : db.prepare('SELECT count(*) AS n FROM invoices WHERE invoice_number = ?').get(invoiceNumber)) as {
          n: number;
        }
      ).n,
  };
}
