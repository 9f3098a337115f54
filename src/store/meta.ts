/**
 * The `meta` table: small named values, one typed accessor per key. A stored value that does not read back as its
 * type (not a number, not JSON, JSON of another shape) reads as absent, so a damaged value costs a rebuild of what it
 * saved, never a failed build. The keys and their stored text stay as they are: existing stores hold them.
 */
import type { DB } from './db.js';

/** One key's value: read back checked (undefined when absent or malformed), written, or removed. */
export interface MetaValue<T> {
  get(): T | undefined;
  set(value: T): void;
  clear(): void;
}

/** The dump folders' index as the last full walk left it (io/dumps/folders.ts). */
export interface FolderIndex {
  /** The dump folders the index was made for. */
  roots: string[];
  /** When the full walk behind it ran (epoch ms). */
  verifiedAt: number;
  /** Folder path → modification time (ms, as precise as the file system gives). */
  folders: Record<string, number>;
}

/** A condition an alert target was told had started (feeds/alerts.ts): its event, since when, what it concerns. */
interface AlertedCondition {
  event: string;
  since: number;
  title?: string;
  feed?: string;
}

/** What was alerted: per target, the conditions told as started and not yet ended; each feed's items then. */
export interface AlertMemory {
  targets: Record<string, Record<string, AlertedCondition>>;
  items?: Record<string, number>;
}

/** Whether the dumps' URLs were last followed by a build that could fetch (`synced`) or are still to be. */
type DumpUrlsState = 'synced' | 'pending';

interface Codec<T> {
  read(raw: string): T | undefined;
  write(value: T): string;
}

const text: Codec<string> = { read: (raw) => raw, write: (value) => value };

/** A time or count written with String(n). */
const number: Codec<number> = {
  read: (raw) => {
    const n = Number(raw);
    return raw.trim() !== '' && Number.isFinite(n) ? n : undefined;
  },
  write: String,
};

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === 'string');

function json<T>(shape: (v: unknown) => v is T): Codec<T> {
  return {
    read: (raw) => {
      try {
        const v: unknown = JSON.parse(raw);
        return shape(v) ? v : undefined;
      } catch {
        return undefined;
      }
    },
    write: (value) => JSON.stringify(value),
  };
}

/**
 * The index's shape. Its folders' times are not checked one by one (the index may list thousands, read on every
 * build): a time that is not a number only makes its folder read as changed (io/dumps/folders.ts `scanFolders`).
 */
const isFolderIndex = (v: unknown): v is FolderIndex =>
  isRecord(v) && isStrings(v.roots) && typeof v.verifiedAt === 'number' && isRecord(v.folders);

const isFeedLabels = (v: unknown): v is Record<string, string[]> => isRecord(v) && Object.values(v).every(isStrings);

const isAlerted = (v: unknown): v is AlertedCondition =>
  isRecord(v) && typeof v.event === 'string' && typeof v.since === 'number';
const isAlertMemory = (v: unknown): v is AlertMemory =>
  isRecord(v) &&
  isRecord(v.targets) &&
  Object.values(v.targets).every((t) => isRecord(t) && Object.values(t).every(isAlerted)) &&
  (v.items === undefined || (isRecord(v.items) && Object.values(v.items).every((n) => typeof n === 'number')));

const dumpUrls: Codec<DumpUrlsState> = {
  read: (raw) => (raw === 'synced' || raw === 'pending' ? raw : undefined),
  write: (value) => value,
};

/** The `meta` table's keys, each a typed value. */
export class MetaTable {
  /** The dump folders' walk fingerprint as last read in full; '' when the next build compares every file. */
  readonly walk: MetaValue<string>;
  /** The dump folders' index, for a build that stats folders instead of files. */
  readonly folders: MetaValue<FolderIndex>;
  /** The dump folders of the last build that read them, to name a folder later dropped from the config. */
  readonly dumpRoots: MetaValue<readonly string[]>;
  /** When the build under way (or killed before it finished) started (epoch ms). */
  readonly buildStarted: MetaValue<number>;
  /** Whether the dumps' URLs were last followed by a build that could fetch. */
  readonly dumpUrls: MetaValue<DumpUrlsState>;
  /** The pace state as JSON text; fetch/pace.ts checks it (parsePaceState). */
  readonly pace: MetaValue<string>;
  /** The cool-down an older wxfeed kept, as JSON text (fetch/pace.ts reads it once, then it is removed). */
  readonly legacyCooldown: MetaValue<string>;
  /** Feed slug → the source labels it was published from. */
  readonly feedLabels: MetaValue<Record<string, string[]>>;
  /** The signature of the last publish's plan: equal, and nothing dirty, nothing is written. */
  readonly published: MetaValue<string>;
  /** What the index page's live marks were last written from. */
  readonly indexLive: MetaValue<string>;
  /** When rendered items of feeds no longer published were last pruned (epoch ms). */
  readonly renderedPruned: MetaValue<number>;
  /** The image proxy's signing secret when the config gives none. */
  readonly imageSecret: MetaValue<string>;
  /** The accounts and article URLs the user unfollowed, as JSON text; fetch/unfollowed.ts checks it. */
  readonly unfollowed: MetaValue<string>;
  /** The problems a quiet build reported (their fingerprints), so the next one prints only new ones. */
  readonly reportedProblems: MetaValue<readonly string[]>;
  /** What the alert targets were told (feeds/alerts.ts), so a restart does not tell them again. */
  readonly alerts: MetaValue<AlertMemory>;

  constructor(db: DB) {
    const get = db.prepare('SELECT value FROM meta WHERE key = ?').pluck();
    const put = db.prepare(
      'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
    );
    const remove = db.prepare('DELETE FROM meta WHERE key = ?');
    const value = <T>(key: string, codec: Codec<T>): MetaValue<T> => ({
      get: () => {
        const raw = get.get(key) as string | undefined;
        return raw === undefined ? undefined : codec.read(raw);
      },
      set: (v) => void put.run(key, codec.write(v)),
      clear: () => void remove.run(key),
    });
    this.walk = value('walk', text);
    this.folders = value('folders', json(isFolderIndex));
    this.dumpRoots = value('dump-roots', json(isStrings));
    this.buildStarted = value('build-started', number);
    this.dumpUrls = value('dump-urls', dumpUrls);
    this.pace = value('pace', text);
    this.legacyCooldown = value('cooldown', text);
    this.feedLabels = value('feed-labels', json(isFeedLabels));
    this.published = value('published', text);
    this.indexLive = value('index-live', text);
    this.renderedPruned = value('rendered-pruned', number);
    this.imageSecret = value('image-secret', text);
    this.unfollowed = value('unfollowed', text);
    this.reportedProblems = value('reported-problems', json(isStrings));
    this.alerts = value('alerts', json(isAlertMemory));
  }
}
