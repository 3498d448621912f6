import type { Queryable } from '../lib/db';

export interface Operator {
  id: number;
  email: string;
  mustChangePassword: boolean;
  createdAt: Date;
  lastSignInAt: Date | null;
  disabled: boolean;
}

type OperatorRow = {
  id: number;
  email: string;
  must_change_password: boolean;
  created_at: Date;
  last_sign_in_at: Date | null;
  disabled_at: Date | null;
  password_hash: string;
};

const COLUMNS = 'o.id, o.email, o.must_change_password, o.created_at, o.last_sign_in_at, o.disabled_at, o.password_hash';

function toOperator(row: OperatorRow): Operator {
  return {
    id: row.id,
    email: row.email,
    mustChangePassword: row.must_change_password,
    createdAt: row.created_at,
    lastSignInAt: row.last_sign_in_at,
    disabled: row.disabled_at !== null,
  };
}

export class OperatorsStore {
  constructor(private readonly db: Queryable) {}

  async insert(email: string, passwordHash: string): Promise<Operator | undefined> {
    const { rows } = await this.db.query<OperatorRow>(
      `INSERT INTO operators AS o (email, password_hash) VALUES ($1::text, $2::text)
       ON CONFLICT (email) DO NOTHING RETURNING ${COLUMNS}`,
      [email, passwordHash],
    );
    return rows[0] && toOperator(rows[0]);
  }

  async count(): Promise<number> {
    const { rows } = await this.db.query<{ n: number }>('SELECT count(*) AS n FROM operators');
    return rows[0]!.n;
  }

  async list(): Promise<Operator[]> {
    const { rows } = await this.db.query<OperatorRow>(`SELECT ${COLUMNS} FROM operators o ORDER BY o.email`);
    return rows.map(toOperator);
  }

  async findWithHash(email: string): Promise<{ operator: Operator; passwordHash: string } | undefined> {
    const { rows } = await this.db.query<OperatorRow>(`SELECT ${COLUMNS} FROM operators o WHERE o.email = $1::text`, [email]);
    return rows[0] && { operator: toOperator(rows[0]), passwordHash: rows[0].password_hash };
  }

  async setPassword(id: number, passwordHash: string, mustChange: boolean): Promise<boolean> {
    const { rowCount } = await this.db.query(
      'UPDATE operators SET password_hash = $2::text, must_change_password = $3::boolean WHERE id = $1::int',
      [id, passwordHash, mustChange],
    );
    return rowCount > 0;
  }

  async setDisabled(id: number, disabled: boolean): Promise<void> {
    await this.db.query(`UPDATE operators SET disabled_at = CASE WHEN $2::boolean THEN coalesce(disabled_at, now()) END WHERE id = $1::int`, [id, disabled]);
  }

  async markSignedIn(id: number): Promise<void> {
    await this.db.query('UPDATE operators SET last_sign_in_at = now() WHERE id = $1::int', [id]);
  }

  async insertSession(tokenHash: string, operatorId: number, ttlSeconds: number): Promise<void> {
    await this.db.query(
      `INSERT INTO operator_sessions (token_hash, operator_id, expires_at)
       VALUES ($1::text, $2::int, now() + make_interval(secs => $3::int))`,
      [tokenHash, operatorId, ttlSeconds],
    );
  }

  /** The operator of a live session; slides the idle expiry forward while the session is used. */
  async touchSession(tokenHash: string, ttlSeconds: number): Promise<Operator | undefined> {
    const { rows } = await this.db.query<OperatorRow>(
      `WITH live AS (
         UPDATE operator_sessions SET last_seen_at = now(), expires_at = now() + make_interval(secs => $2::int)
          WHERE token_hash = $1::text AND expires_at > now()
          RETURNING operator_id)
       SELECT ${COLUMNS} FROM live JOIN operators o ON o.id = live.operator_id WHERE o.disabled_at IS NULL`,
      [tokenHash, ttlSeconds],
    );
    return rows[0] && toOperator(rows[0]);
  }

  async deleteSession(tokenHash: string): Promise<void> {
    await this.db.query('DELETE FROM operator_sessions WHERE token_hash = $1::text', [tokenHash]);
  }

  /** Signs an operator out everywhere except, optionally, the session in use. */
  async deleteSessionsOf(operatorId: number, exceptTokenHash?: string): Promise<void> {
    await this.db.query('DELETE FROM operator_sessions WHERE operator_id = $1::int AND token_hash <> $2::text', [
      operatorId,
      exceptTokenHash ?? '',
    ]);
  }

  async deleteExpiredSessions(now: Date): Promise<number> {
    const { rowCount } = await this.db.query('DELETE FROM operator_sessions WHERE expires_at < $1::timestamptz', [now]);
    return rowCount;
  }

}
