/**
 * Ärendesystemet's own SQLite database. Deliberately without unique constraints on cases: a legacy
 * system stores a double submission twice, which is exactly what the tests must be able to see.
 */
import { randomBytes } from 'node:crypto';
import Database from 'better-sqlite3';
import { seedResidents, type Resident } from './residents.js';

export const caseTypes = ['Parkeringstillstånd för rörelsehindrade', 'Befrielse från skolmåltidsavgift'] as const;
export type CaseType = (typeof caseTypes)[number];

/** What a clerk enters for a case (the wizard's fields). */
export interface CaseFields {
  personnummer: string;
  caseType: string;
  details: string;
  applicationDate: string;
  statedAddress: string;
  externalRef: string;
}

export interface CaseRow extends CaseFields {
  id: number;
  caseNumber: string;
  createdAt: string;
  createdBy: string;
}

export type NewCase = Omit<CaseRow, 'id' | 'caseNumber' | 'createdAt'>;

export interface ArendeDb {
  findResident(personnummer: string): Resident | undefined;
  insertCase(c: NewCase, now?: Date): CaseRow;
  getCase(caseNumber: string): CaseRow | undefined;
  getCaseById(id: number): CaseRow | undefined;
  /** Cases whose external reference contains `ref` (legacy LIKE search); newest first. */
  searchCases(ref: string, limit?: number): CaseRow[];
  countCases(): number;
  /** Wizard drafts: kept in the database (not the session) so a user who logs in again continues. */
  createDraft(owner: string, data: Record<string, string>): string;
  getDraft(id: string, owner: string): Record<string, string> | undefined;
  updateDraft(id: string, data: Record<string, string>): void;
  close(): void;
}

const columns = `id, case_number AS caseNumber, personnummer, case_type AS caseType, details,
  application_date AS applicationDate, stated_address AS statedAddress, external_ref AS externalRef,
  created_at AS createdAt, created_by AS createdBy`;

export function openArendeDb(file: string): ArendeDb {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.exec(`CREATE TABLE IF NOT EXISTS residents (personnummer TEXT PRIMARY KEY, name TEXT NOT NULL, address TEXT NOT NULL);
    CREATE TABLE IF NOT EXISTS cases (id INTEGER PRIMARY KEY AUTOINCREMENT, case_number TEXT NOT NULL,
      personnummer TEXT NOT NULL, case_type TEXT NOT NULL, details TEXT NOT NULL, application_date TEXT NOT NULL,
      stated_address TEXT NOT NULL, external_ref TEXT NOT NULL DEFAULT '', created_at TEXT NOT NULL,
      created_by TEXT NOT NULL);
    CREATE TABLE IF NOT EXISTS drafts (id TEXT PRIMARY KEY, owner TEXT NOT NULL, data TEXT NOT NULL, created_at TEXT NOT NULL);`);
  const insertResident = db.prepare('INSERT OR IGNORE INTO residents VALUES (?, ?, ?)');
  db.transaction(() => seedResidents().forEach((r) => insertResident.run(r.personnummer, r.name, r.address)))();

  const insert = db.prepare(`INSERT INTO cases (case_number, personnummer, case_type, details, application_date,
    stated_address, external_ref, created_at, created_by) VALUES ('', ?, ?, ?, ?, ?, ?, ?, ?)`);
  const setNumber = db.prepare('UPDATE cases SET case_number = ? WHERE id = ?');
  const byNumber = db.prepare(`SELECT ${columns} FROM cases WHERE case_number = ?`);
  const byId = db.prepare(`SELECT ${columns} FROM cases WHERE id = ?`);
  const draftInsert = db.prepare('INSERT INTO drafts VALUES (?, ?, ?, ?)');
  const draftGet = db.prepare('SELECT data FROM drafts WHERE id = ? AND owner = ?');
  const draftUpdate = db.prepare('UPDATE drafts SET data = ? WHERE id = ?');
  const resident = db.prepare('SELECT personnummer, name, address FROM residents WHERE personnummer = ?');
  const search = db.prepare(
    `SELECT ${columns} FROM cases WHERE external_ref LIKE ? ESCAPE '\\' ORDER BY id DESC LIMIT ?`,
  );

  return {
    findResident: (pnr) => resident.get(pnr) as Resident | undefined,
    insertCase: (c, now = new Date()) =>
      db.transaction(() => {
        const { lastInsertRowid } = insert.run(
          c.personnummer,
          c.caseType,
          c.details,
          c.applicationDate,
          c.statedAddress,
          c.externalRef,
          now.toISOString(),
          c.createdBy,
        );
        const caseNumber = `ÄR-${now.getFullYear()}-${String(lastInsertRowid).padStart(5, '0')}`;
        setNumber.run(caseNumber, lastInsertRowid);
        return byNumber.get(caseNumber) as CaseRow;
      })(),
    getCase: (caseNumber) => byNumber.get(caseNumber) as CaseRow | undefined,
    getCaseById: (id) => byId.get(id) as CaseRow | undefined,
    searchCases: (ref, limit = 50) => search.all(`%${ref.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`, limit) as CaseRow[],
    countCases: () => (db.prepare('SELECT count(*) AS n FROM cases').get() as { n: number }).n,
    createDraft: (owner, data) => {
      const id = randomBytes(12).toString('base64url');
      draftInsert.run(id, owner, JSON.stringify(data), new Date().toISOString());
      return id;
    },
    getDraft: (id, owner) => {
      const row = draftGet.get(id, owner) as { data: string } | undefined;
      return row ? (JSON.parse(row.data) as Record<string, string>) : undefined;
    },
    updateDraft: (id, data) => void draftUpdate.run(JSON.stringify(data), id),
    close: () => db.close(),
  };
}
