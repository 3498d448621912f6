import type { Queryable } from '../lib/db';

export interface Schedule {
  id: number;
  name: string;
  kind: string;
  pattern: string;
  tz: string;
  data: Record<string, unknown>;
  paused: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export interface ScheduleInput {
  name: string;
  kind: string;
  pattern: string;
  tz: string;
  data: Record<string, unknown>;
}

type ScheduleRow = {
  id: number;
  name: string;
  kind: string;
  pattern: string;
  tz: string;
  data: Record<string, unknown>;
  paused: boolean;
  created_at: Date;
  updated_at: Date;
};

const COLUMNS = 'id, name, kind, pattern, tz, data, paused, created_at, updated_at';

function toSchedule(row: ScheduleRow): Schedule {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    pattern: row.pattern,
    tz: row.tz,
    data: row.data,
    paused: row.paused,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export class SchedulesStore {
  constructor(private readonly db: Queryable) {}

  async list(): Promise<Schedule[]> {
    const { rows } = await this.db.query<ScheduleRow>(`SELECT ${COLUMNS} FROM schedules ORDER BY name`);
    return rows.map(toSchedule);
  }

  async find(id: number): Promise<Schedule | undefined> {
    const { rows } = await this.db.query<ScheduleRow>(`SELECT ${COLUMNS} FROM schedules WHERE id = $1::int`, [id]);
    return rows[0] && toSchedule(rows[0]);
  }

  async findByName(name: string): Promise<Schedule | undefined> {
    const { rows } = await this.db.query<ScheduleRow>(`SELECT ${COLUMNS} FROM schedules WHERE name = $1::text`, [name]);
    return rows[0] && toSchedule(rows[0]);
  }

  /** Undefined when the name is taken. */
  async insert(input: ScheduleInput): Promise<Schedule | undefined> {
    const { rows } = await this.db.query<ScheduleRow>(
      `INSERT INTO schedules (name, kind, pattern, tz, data) VALUES ($1::text, $2::text, $3::text, $4::text, $5::jsonb)
       ON CONFLICT (name) DO NOTHING RETURNING ${COLUMNS}`,
      [input.name, input.kind, input.pattern, input.tz, JSON.stringify(input.data)],
    );
    return rows[0] && toSchedule(rows[0]);
  }

  async update(id: number, input: ScheduleInput): Promise<Schedule | undefined> {
    const { rows } = await this.db.query<ScheduleRow>(
      `UPDATE schedules SET name = $2::text, kind = $3::text, pattern = $4::text, tz = $5::text, data = $6::jsonb, updated_at = now()
        WHERE id = $1::int RETURNING ${COLUMNS}`,
      [id, input.name, input.kind, input.pattern, input.tz, JSON.stringify(input.data)],
    );
    return rows[0] && toSchedule(rows[0]);
  }

  async setPaused(id: number, paused: boolean): Promise<Schedule | undefined> {
    const { rows } = await this.db.query<ScheduleRow>(
      `UPDATE schedules SET paused = $2::boolean, updated_at = now() WHERE id = $1::int RETURNING ${COLUMNS}`,
      [id, paused],
    );
    return rows[0] && toSchedule(rows[0]);
  }

  async delete(id: number): Promise<boolean> {
    const { rowCount } = await this.db.query('DELETE FROM schedules WHERE id = $1::int', [id]);
    return rowCount > 0;
  }
}
