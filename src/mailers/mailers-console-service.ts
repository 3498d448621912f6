import { NotFoundError } from '../lib/errors';
import type { MailersService } from './mailers-service';
import type { Actor, AuditService } from '../audit/audit-service';
import type { ListsService } from '../lists/lists-service';
import type { MailersConsoleStore } from './mailers-console-store';

/** Mailer accounts from the console: every change goes through MailersService and into the audit log. */
export class MailersConsoleService {
  constructor(
    private readonly mailers: MailersService,
    private readonly lists: Pick<ListsService, 'retry'>,
    private readonly store: MailersConsoleStore,
    private readonly audit: AuditService,
  ) {}

  list() {
    return this.mailers.listMailers();
  }

  async detail(id: number) {
    const mailer = await this.store.mailer(id);
    if (!mailer) throw new NotFoundError(`No mailer ${id}`, 'UNKNOWN_MAILER');
    const [keys, jobs] = await Promise.all([this.store.keys(id), this.store.listJobs(id, 50)]);
    return { mailer, keys, jobs };
  }

  /** Returns the new mailer's id and its first API key, shown once. */
  async create(name: string, actor: Actor): Promise<{ id: number; apiKey: string }> {
    const { mailer, apiKey, prefix } = await this.mailers.createMailer(name);
    await this.audit.record(actor, 'mailer.create', { type: 'mailer', id: mailer.name }, { keyPrefix: prefix });
    return { id: mailer.id, apiKey };
  }

  async issueKey(id: number, actor: Actor): Promise<string> {
    const { mailer } = await this.detail(id);
    const { apiKey, prefix } = await this.mailers.createKey(mailer.name);
    await this.audit.record(actor, 'mailer.key-issue', { type: 'mailer', id: mailer.name }, { keyPrefix: prefix });
    return apiKey;
  }

  async revokeKey(id: number, prefix: string, actor: Actor): Promise<void> {
    const { mailer } = await this.detail(id);
    if ((await this.store.keyOwner(prefix)) !== id) throw new NotFoundError(`Mailer ${mailer.name} has no key ${prefix}`, 'UNKNOWN_KEY');
    await this.mailers.revokeKey(prefix);
    await this.audit.record(actor, 'mailer.key-revoke', { type: 'mailer', id: mailer.name }, { keyPrefix: prefix });
  }

  /** Runs a failed list again (ListsService.retry); returns its mailer's id, whose page lists it. */
  async retryList(listId: string, actor: Actor): Promise<{ mailerId: number; listName: string }> {
    const list = await this.lists.retry(listId);
    await this.audit.record(actor, 'list.retry', { type: 'list', id: list.id }, { mailerId: list.mailerId, listName: list.listName });
    return { mailerId: list.mailerId, listName: list.listName };
  }
}
