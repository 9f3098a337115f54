/**
 * What the store keeps for learning sites' page templates (dumps/templates.ts, stages/dumps/learn.ts):
 * `template_groups`, one row per source and host, with the template learned from its dumps and whether a dump of it
 * came, changed or went since; `dump_blocks`, one row per dump of such a group, with the fingerprints and weights of
 * its first and last lines, the template its observation was read with, and whether it was looked at under its
 * group's template.
 */
import type { DumpBlocks, PageTemplate } from '../types.js';
import type { DB } from './db.js';

/** Flags of a dump's blocks. */
const CUT = 1;
const NOTICE = 2;

/** A dump's blocks as stored, with its bookkeeping. */
export interface StoredBlocks extends Omit<DumpBlocks, 'group'> {
  path: string;
  /** The template (its id) the dump's observation was read with; '' for none. */
  decided: string;
  /** Not looked at under its group's current template yet. */
  pending: boolean;
}

/** A template group as stored. */
export interface TemplateGroup {
  id: number;
  /** `<source>\n<host>`. */
  name: string;
  /** Id of the template learned (dumps/templates.ts templateId); '' for none. */
  templateId: string;
  template: PageTemplate | undefined;
}

/** True on a little-endian machine: the fingerprints are stored (and read back) as they lie in memory. */
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** Fingerprints then weights, in one blob. */
function pack(b: Pick<DumpBlocks, 'prints' | 'weights'>): Buffer {
  const n = b.prints.length;
  // Every byte is written below: no need to zero it first.
  const out = Buffer.allocUnsafe(n * 5);
  if (LITTLE_ENDIAN) out.set(new Uint8Array(b.prints.buffer, b.prints.byteOffset, n * 4));
  else for (let i = 0; i < n; i++) out.writeUInt32LE(b.prints[i]!, i * 4);
  out.set(b.weights, n * 4);
  return out;
}

function unpack(blob: Buffer): Pick<DumpBlocks, 'prints' | 'weights'> {
  const n = blob.length / 5;
  let prints: Uint32Array;
  if (LITTLE_ENDIAN) {
    // One copy into an aligned buffer (a Buffer from SQLite may start at any byte).
    const bytes = new Uint8Array(n * 4);
    bytes.set(blob.subarray(0, n * 4));
    prints = new Uint32Array(bytes.buffer);
  } else {
    prints = new Uint32Array(n);
    for (let i = 0; i < n; i++) prints[i] = blob.readUInt32LE(i * 4);
  }
  return { prints, weights: new Uint8Array(blob.subarray(n * 4)) };
}

function packTemplate(t: PageTemplate): Buffer {
  const out = Buffer.alloc(t.prints.length * 4);
  for (let i = 0; i < t.prints.length; i++) out.writeUInt32LE(t.prints[i]!, i * 4);
  return out;
}

/** A template as stored (fingerprints, u32 little-endian); undefined for none. */
export function unpackTemplate(blob: Buffer | null): PageTemplate | undefined {
  if (!blob || blob.length === 0) return undefined;
  const prints: number[] = [];
  for (let i = 0; i < blob.length; i += 4) prints.push(blob.readUInt32LE(i));
  return { prints };
}

/** A `dump_blocks` row as `blocksOf` reads it (raw: its columns in order). */
type BlocksRow = [
  path: string,
  lines: number,
  blocks: Buffer,
  middle: number,
  flags: number,
  decided: string,
  pending: number,
];

function toStored([path, lines, blocks, middle, flags, decided, pending]: BlocksRow): StoredBlocks {
  const { prints, weights } = unpack(blocks);
  return {
    path,
    lines,
    prints,
    weights,
    middle,
    cut: (flags & CUT) !== 0,
    notice: (flags & NOTICE) !== 0,
    decided,
    pending: pending === 1,
  };
}

/** Template groups and their dumps' blocks, for learning sites' page templates. */
export class TemplatesTable {
  private readonly s;
  /**
   * Group ids by name, the groups marked stale, and the groups known to have learned no template, as the open
   * transaction knows them (see `forget`).
   */
  private readonly ids = new Map<string, number>();
  private readonly staled = new Set<number>();
  private readonly bare = new Set<number>();

  constructor(db: DB) {
    this.s = {
      groupId: db.prepare('SELECT id, template FROM template_groups WHERE name = ?'),
      addGroup: db.prepare('INSERT INTO template_groups (name) VALUES (?) RETURNING id').pluck(),
      markStale: db.prepare('UPDATE template_groups SET stale = 1 WHERE id = ? AND stale = 0'),
      putBlocks: db.prepare(`INSERT INTO dump_blocks (path, grp, lines, blocks, middle, flags, decided, pending)
        VALUES (?, ?, ?, ?, ?, ?, '', ?)
        ON CONFLICT(path) DO UPDATE SET grp = excluded.grp, lines = excluded.lines, blocks = excluded.blocks,
          middle = excluded.middle, flags = excluded.flags, decided = '', pending = excluded.pending`),
      groupOf: db.prepare('SELECT grp FROM dump_blocks WHERE path = ?').pluck(),
      deleteBlocks: db.prepare('DELETE FROM dump_blocks WHERE path = ?'),
      stale: db.prepare(
        'SELECT id, name, template AS templateId, prints FROM template_groups WHERE stale = 1 ORDER BY id',
      ),
      blocksOf: db
        .prepare(
          'SELECT path, lines, blocks, middle, flags, decided, pending FROM dump_blocks WHERE grp = ? ORDER BY path',
        )
        .raw(),
      learned: db.prepare('UPDATE template_groups SET template = ?, prints = ?, stale = ? WHERE id = ?'),
      decided: db.prepare('UPDATE dump_blocks SET decided = ?, pending = 0 WHERE path = ?'),
      looked: db.prepare('UPDATE dump_blocks SET pending = 0 WHERE grp = ? AND pending = 1'),
      markSources: db.prepare(`INSERT OR IGNORE INTO dirty_sources (source) SELECT DISTINCT o2.source FROM dump_blocks b
        JOIN observations o1 ON o1.origin = 'file:' || b.path JOIN observations o2 ON o2.key = o1.key WHERE b.grp = ?`),
      groupCount: db.prepare("SELECT COUNT(*) FROM template_groups WHERE template != ''").pluck(),
    };
  }

  private groupId(name: string): number {
    let id = this.ids.get(name);
    if (id === undefined) {
      const row = this.s.groupId.get(name) as { id: number; template: string } | undefined;
      id = row?.id ?? (this.s.addGroup.get(name) as number);
      if (!row || row.template === '') this.bare.add(id);
      this.ids.set(name, id);
    }
    return id;
  }

  private markStale(group: number): void {
    if (this.staled.has(group)) return;
    this.s.markStale.run(group);
    this.staled.add(group);
  }

  /** A transaction ended: what it created or marked may have been undone. */
  forget(): void {
    this.ids.clear();
    this.staled.clear();
    this.bare.clear();
  }

  /**
   * A dump of a group was read (without a template): keep its blocks, to be looked at; its group learns again.
   * `isNew`: the store holds no blocks for this path (a first build), so no other group loses it.
   */
  putBlocks(path: string, blocks: DumpBlocks, isNew = false): void {
    const before = isNew ? undefined : (this.s.groupOf.get(path) as number | undefined);
    const grp = this.groupId(blocks.group);
    if (before !== undefined && before !== grp) this.markStale(before);
    this.markStale(grp);
    // A new dump of a group with no template is already as its group reads it: looked at, and decided by learning
    // only if the group learns a template, as every dump of the group then is.
    const looked = isNew && this.bare.has(grp);
    this.s.putBlocks.run(
      path,
      grp,
      blocks.lines,
      pack(blocks),
      blocks.middle,
      (blocks.cut ? CUT : 0) | (blocks.notice ? NOTICE : 0),
      looked ? 0 : 1,
    );
  }

  /** A dump gone, or no longer of a group: its group learns again without it. */
  deleteBlocks(path: string): void {
    const grp = this.s.groupOf.get(path) as number | undefined;
    if (grp === undefined) return;
    this.s.deleteBlocks.run(path);
    this.markStale(grp);
  }

  /** Groups a dump of which came, changed or went since they last learned. */
  staleGroups(): TemplateGroup[] {
    return (this.s.stale.all() as Array<{ id: number; name: string; templateId: string; prints: Buffer | null }>).map(
      (r) => ({ id: r.id, name: r.name, templateId: r.templateId, template: unpackTemplate(r.prints) }),
    );
  }

  /** Every dump of a group, by path. */
  blocksOf(group: number): StoredBlocks[] {
    return (this.s.blocksOf.all(group) as BlocksRow[]).map(toStored);
  }

  /** The group learned `template` (id `id`, '' for none); `stale`: it is to learn again (a dump changed meanwhile). */
  setTemplate(group: number, id: string, template: PageTemplate | undefined, stale = false): void {
    this.s.learned.run(id, template ? packTemplate(template) : null, stale ? 1 : 0, group);
    this.staled.delete(group);
    if (id === '') this.bare.add(group);
    else this.bare.delete(group);
  }

  /** A dump's observation was read with the template `id` ('' for none), and looked at. */
  setDecided(path: string, id: string): void {
    this.s.decided.run(id, path);
  }

  /** Every dump of the group looked at under its template. */
  settle(group: number): void {
    this.s.looked.run(group);
  }

  /** Mark dirty every source showing an article of the group's dumps (their text is read through its template). */
  markSourcesOf(group: number): void {
    this.s.markSources.run(group);
  }

  /** Groups with a template learned. */
  learnedCount(): number {
    return this.s.groupCount.get() as number;
  }
}
