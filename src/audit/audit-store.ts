import type { Queryable } from '../lib/db';

/** Who did something: a signed-in operator, or the `mailpref` command run by a system user. */
export interface Actor {
  operatorId?: number;
  /** An operator's email, or `cli:<system user>`. */
  label: string;
}

export interface AuditEntry {
  id: number;
  at: Date;
  actor: string;
  action: string;
  targetType: string;
  targetId: string;
  details: Record<string, unknown>;
}

export interface AuditFilter {
  actor?: string;
  action?: string;
  before?: number;
  limit: number;
}

/** Append-only: the store has no update or delete. */
export class AuditStore {
  constructor(private readonly db: Queryable) {}

  async insert(actor: Actor, action: string, target: { type: string; id: string | number }, details: Record<string, unknown>): Promise<void> {
    await this.db.query(
      `INSERT INTO operator_audit (operator_id, actor, action, target_type, target_id, details)
       VALUES ($1::int, $2::text, $3::text, $4::text, $5::text, $6::jsonb)`,
      [actor.operatorId ?? null, actor.label, action, target.type, String(target.id), JSON.stringify(details)],
    );
  }

  async list(filter: AuditFilter): Promise<AuditEntry[]> {
    const { rows } = await this.db.query<{ id: number; at: Date; actor: string; action: string; target_type: string; target_id: string; details: Record<string, unknown> }>(
      `SELECT id, at, actor, action, target_type, target_id, details FROM operator_audit
        WHERE ($1::text IS NULL OR actor = $1::text)
          AND ($2::text IS NULL OR action = $2::text)
          AND ($3::bigint IS NULL OR id < $3::bigint)
        ORDER BY id DESC LIMIT $4::int`,
      [filter.actor ?? null, filter.action ?? null, filter.before ?? null, filter.limit],
    );
    return rows.map((row) => ({
      id: row.id,
      at: row.at,
      actor: row.actor,
      action: row.action,
      targetType: row.target_type,
      targetId: row.target_id,
      details: row.details,
    }));
  }

  async actions(): Promise<string[]> {
    const { rows } = await this.db.query<{ action: string }>('SELECT DISTINCT action FROM operator_audit ORDER BY action');
    return rows.map((row) => row.action);
  }
}
