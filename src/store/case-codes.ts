import type { Container } from '@azure/cosmos';
import { z } from 'zod';
import { CaseCodeSchema } from '../domain/case-code';
import { Documents } from './documents';

/**
 * One create-only document per case code ever used, in its own container (`caseCodes`, keyed by
 * the code). The cases container is partitioned by unit, so Cosmos alone would let the same code
 * exist once per unit — but the audit log (partition /caseId, ids correlationId|caseId|operation)
 * and the scheduler's job ids key on the code alone, and the audit trail outlives a deleted case.
 * A code is claimed here before its case is created, so it is unique across the municipality and
 * never reused; a clash (409) makes the creator draw another code.
 */
const CaseCodeClaimSchema = z.object({
  schemaVersion: z.literal(1),
  id: CaseCodeSchema,
  claimedAt: z.string(),
});
export type CaseCodeClaim = z.infer<typeof CaseCodeClaimSchema>;

export class CaseCodeClaims {
  private readonly documents: Documents<CaseCodeClaim>;

  constructor(container: Container) {
    this.documents = new Documents<CaseCodeClaim>(container, CaseCodeClaimSchema, (claim) => claim.id);
  }

  /** Claims the code for good; AlreadyExists when it was ever claimed before. */
  async claim(code: string, at: string): Promise<void> {
    await this.documents.create({ schemaVersion: 1, id: code, claimedAt: at });
  }

  async isClaimed(code: string): Promise<boolean> {
    return (await this.documents.read(code, code)) !== undefined;
  }
}
