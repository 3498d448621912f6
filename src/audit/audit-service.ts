import os from 'node:os';
import type { Actor, AuditEntry, AuditFilter, AuditStore } from './audit-store';

export type { Actor, AuditEntry };

/** The actor for commands run from a shell: the system user who ran them. */
export function cliActor(): Actor {
  let user = 'unknown';
  try {
    user = os.userInfo().username;
  } catch {
    // no passwd entry (some containers): keep "unknown"
  }
  return { label: `cli:${user}` };
}

/** Records every operator action; services call it after the action succeeded. */
export class AuditService {
  constructor(private readonly store: AuditStore) {}

  record(actor: Actor, action: string, target: { type: string; id: string | number }, details: Record<string, unknown> = {}): Promise<void> {
    return this.store.insert(actor, action, target, details);
  }

  list(filter: Partial<AuditFilter> = {}): Promise<AuditEntry[]> {
    return this.store.list({ limit: 100, ...filter });
  }

  actions(): Promise<string[]> {
    return this.store.actions();
  }
}
