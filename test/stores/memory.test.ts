import { MemoryApprovalStore, MemoryAuditLog } from '../../shared/stores/memory';
import { storeContract } from './contract';

describe('memory stores', () => {
  storeContract({ approvals: async () => new MemoryApprovalStore(), audit: async () => new MemoryAuditLog() });
});
