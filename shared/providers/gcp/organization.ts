import type { OrganizationUnit } from '../../model';
import type { DiscoveredAccount, OrganizationSource } from '../organization-directory';
import type { ComputeClient } from './client';
import { isNotFound } from './errors';

interface FolderV3 {
  name: string;
  displayName?: string;
  parent?: string;
  state?: string;
}
interface ProjectV3 {
  name?: string;
  projectId: string;
  displayName?: string;
  parent?: string;
  state?: string;
}

/** A folder or organization as a chain link: `folders/N` / `organizations/N`, with the display name when known. */
const unit = (id: string, name?: string): OrganizationUnit => ({ id, ...(name ? { name } : {}) });

/**
 * GCP Resource Manager (v3) as an organization source. The sweep walks every folder below each selected folder or
 * organization (`folders?parent=`) and lists each container's projects (`projects?parent=`): nested folders
 * included, unlike the v1 `parent.id` filter that sees direct children only. One project is looked up with
 * `projects.get` plus one `folders.get` per level (folders cached). A project in DELETE_REQUESTED is not governed.
 */
export class GcpResourceManagerSource implements OrganizationSource {
  private readonly folders = new Map<string, FolderV3>();

  constructor(
    private readonly client: ComputeClient,
    private readonly roots: readonly string[],
  ) {}

  async listSelected(): Promise<DiscoveredAccount[]> {
    const found = new Map<string, DiscoveredAccount>();
    for (const root of this.roots) {
      const queue: OrganizationUnit[][] = [await this.chainTo(root)];
      while (queue.length > 0) {
        const chain = queue.shift()!;
        const parent = chain.at(-1)!.id;
        const projects = await this.client.listAll<{ projects?: ProjectV3[]; nextPageToken?: string }, ProjectV3>(
          this.client.resourceManagerV3Url(`projects?parent=${encodeURIComponent(parent)}`),
          (p) => p.projects ?? [],
        );
        for (const p of projects) {
          const known = found.get(p.projectId);
          if (!known || known.ancestors.length < chain.length) found.set(p.projectId, discovered(p, chain));
        }
        const children = await this.client.listAll<{ folders?: FolderV3[]; nextPageToken?: string }, FolderV3>(
          this.client.resourceManagerV3Url(`folders?parent=${encodeURIComponent(parent)}`),
          (p) => p.folders ?? [],
        );
        for (const f of children) {
          this.folders.set(f.name, f);
          // A folder being deleted holds no live projects worth governing; its ACTIVE projects still list under it.
          queue.push([...chain, unit(f.name, f.displayName)]);
        }
      }
    }
    return [...found.values()];
  }

  /** `projects.get`, then the folders above it up to the organization. */
  async lookup(account: string): Promise<DiscoveredAccount | null> {
    let project: ProjectV3;
    try {
      project = await this.client.getResourceManagerV3<ProjectV3>(`projects/${encodeURIComponent(account)}`);
    } catch (error) {
      // 403 is also how Resource Manager answers a missing project, but it may be a denial: never read as "outside".
      if (isNotFound(error)) return null;
      throw error;
    }
    return discovered(project, project.parent ? await this.chainTo(project.parent) : []);
  }

  /** The chain from the organization down to a container (inclusive); folders are cached for the run. */
  private async chainTo(container: string): Promise<OrganizationUnit[]> {
    const chain: OrganizationUnit[] = [];
    let at: string | undefined = container;
    // Folders nest at most 10 deep below the organization.
    for (let depth = 0; at !== undefined && depth <= 11; depth++) {
      if (!at.startsWith('folders/')) {
        chain.unshift(unit(at));
        break;
      }
      const cached = this.folders.get(at);
      const folder: FolderV3 = cached ?? (await this.client.getResourceManagerV3<FolderV3>(at));
      this.folders.set(at, folder);
      chain.unshift(unit(at, folder.displayName));
      at = folder.parent;
    }
    return chain;
  }
}

function discovered(p: ProjectV3, ancestors: OrganizationUnit[]): DiscoveredAccount {
  const state = p.state ?? 'ACTIVE';
  return {
    account: p.projectId,
    ...(p.displayName ? { name: p.displayName } : {}),
    active: state === 'ACTIVE',
    state,
    ancestors,
  };
}
