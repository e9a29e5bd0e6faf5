import type { Container } from '@azure/cosmos';
import { z } from 'zod';
import { StoreUnavailable } from './documents';

/**
 * One entry per read, change, approval or export of a case — and per refused attempt. It holds
 * who, when, which case, what, on which basis and the outcome; never child data. The id is
 * derived from the turn's correlation id, so a retried turn cannot write the same entry twice.
 */
const AuditEntrySchema = z.object({
  schemaVersion: z.literal(1),
  id: z.string(),
  caseId: z.string(),
  at: z.string(),
  actorId: z.string(),
  /** `report-read`: an aggregate read of the tertial report (`caseId` is then `report:<municipality>:<period>`). */
  operation: z.enum(['create', 'read', 'list', 'change', 'approve', 'reassign', 'export', 'respond-to-handover', 'delete', 'report-read']),
  /** What the command was (e.g. record-evaluation), for changes. */
  command: z.string().optional(),
  basis: z.enum(['owner', 'leader', 'team-consent', 'handover-offer', 'coordinator', 'system', 'none']),
  outcome: z.enum(['allowed', 'refused']),
  /** The refusal reason, when refused. */
  reason: z.string().optional(),
  correlationId: z.string(),
  ttl: z.number().int().optional(),
});
export type AuditEntry = z.infer<typeof AuditEntrySchema>;

export type AuditRecord = Omit<AuditEntry, 'id' | 'schemaVersion' | 'ttl'>;

/** Audit entries outlive the cases they describe: kept five years by default. */
const AUDIT_RETENTION_SECONDS = 5 * 365 * 24 * 3600;

export class AuditLog {
  constructor(private readonly container: Container) {}

  static idOf(record: Pick<AuditRecord, 'correlationId' | 'caseId' | 'operation'>): string {
    return `${record.correlationId}|${record.caseId}|${record.operation}`.replace(/[/\\?#]/g, '_');
  }

  /** Appends one entry; appending the same turn's entry again is a no-op. */
  async append(record: AuditRecord): Promise<void> {
    await this.appendAll([record]);
  }

  /** Appends entries for many cases in one request (a listing reads many cases at once). */
  async appendAll(records: readonly AuditRecord[]): Promise<void> {
    if (records.length === 0) return;
    const documents = records.map((record) =>
      AuditEntrySchema.parse({ ...record, schemaVersion: 1, id: AuditLog.idOf(record), ttl: AUDIT_RETENTION_SECONDS }),
    );
    try {
      if (documents.length === 1) {
        await this.container.items.create(documents[0]!).catch((error: { code?: number }) => {
          if (error.code !== 409) throw error;
        });
        return;
      }
      // `items.bulk` is deprecated in favour of `executeBulkOperations`, but in @azure/cosmos 4.9 the
      // latter pauses about a second on the client for every call; a listing must not wait for that.
      const failed: unknown[] = [];
      for (let start = 0; start < documents.length; start += 100) {
        const results = await this.container.items.bulk(
          documents
            .slice(start, start + 100)
            .map((resourceBody) => ({ operationType: 'Create' as const, partitionKey: resourceBody.caseId, resourceBody })),
          { continueOnError: true },
        );
        // A 409 is an entry already written by an earlier try of the same turn.
        failed.push(...results.filter((result) => result.statusCode >= 400 && result.statusCode !== 409));
      }
      if (failed.length > 0) throw new Error(`audit bulk append: ${failed.length} of ${documents.length} failed`);
    } catch (error) {
      throw new StoreUnavailable('audit append', error);
    }
  }

  /** The audit trail of one case, oldest first (a single-partition query). */
  async forCase(caseId: string): Promise<AuditEntry[]> {
    const { resources } = await this.container.items
      .query(
        { query: 'SELECT * FROM c WHERE c.caseId = @caseId ORDER BY c.at', parameters: [{ name: '@caseId', value: caseId }] },
        { partitionKey: caseId },
      )
      .fetchAll();
    return resources.map((resource) => AuditEntrySchema.parse(resource));
  }
}
