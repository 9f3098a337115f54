/**
 * The store: one SQLite handle, one object per table. The tables run SQL and make no decisions; the rules that
 * decide what to write live in the stages (catalog/catalog.ts keeps observations, merged articles and the work in
 * progress in step).
 */
import { AccountsTable } from './accounts.js';
import { AlbumItemsTable } from './album-items.js';
import { AlbumsTable } from './albums.js';
import { AliasesTable } from './aliases.js';
import { ArticlesTable } from './articles.js';
import { buildIndexes, type DB, dropIndexes } from './db.js';
import { FeedsTable } from './feeds.js';
import { FilesTable } from './files.js';
import { MetaTable } from './meta.js';
import { ObservationsTable } from './observations.js';
import { PendingTable } from './pending.js';
import { RenderedTable } from './rendered.js';
import { TemplatesTable } from './templates.js';
import { UrlsTable } from './urls.js';

/** A transaction left open across awaits, for writing a stream of results in large groups (see `Store.group`). */
export interface WriteGroup {
  add(fn: () => void): void;
  readonly size: number;
  commit(): void;
  rollback(): void;
}

/** The open store: its handle and one object per table. */
export class Store {
  readonly meta: MetaTable;
  readonly files: FilesTable;
  readonly observations: ObservationsTable;
  readonly articles: ArticlesTable;
  readonly aliases: AliasesTable;
  readonly pending: PendingTable;
  readonly urls: UrlsTable;
  readonly feeds: FeedsTable;
  readonly rendered: RenderedTable;
  readonly albums: AlbumsTable;
  readonly albumItems: AlbumItemsTable;
  readonly templates: TemplatesTable;
  readonly accounts: AccountsTable;

  constructor(readonly db: DB) {
    this.meta = new MetaTable(db);
    this.files = new FilesTable(db);
    this.observations = new ObservationsTable(db);
    this.articles = new ArticlesTable(db);
    this.aliases = new AliasesTable(db);
    this.pending = new PendingTable(db);
    this.urls = new UrlsTable(db);
    this.feeds = new FeedsTable(db);
    this.rendered = new RenderedTable(db);
    this.albums = new AlbumsTable(db);
    this.albumItems = new AlbumItemsTable(db);
    this.templates = new TemplatesTable(db);
    this.accounts = new AccountsTable(db);
  }

  /** Run `fn` in a transaction (a savepoint when nested), with the pending keys it marked written before commit. */
  transaction<T>(fn: () => T): T {
    // Nested (a savepoint): the keys the outer transaction marked are written first, so a rollback of this one
    // cannot lose them.
    if (this.db.inTransaction) this.pending.flush();
    try {
      return this.db.transaction(() => {
        const result = fn();
        this.pending.flush();
        return result;
      })();
    } finally {
      this.ended();
    }
  }

  /** A transaction ended: what the tables remember of it may have been undone. */
  private ended(): void {
    this.pending.forgetMarks();
    this.templates.forget();
  }

  /**
   * A transaction that stays open across awaits: `add` runs each write inside it, `commit` ends it (the next `add`
   * opens another), `rollback` drops it. Nothing else may write to this store while it is open.
   */
  group(): WriteGroup {
    const { db, pending } = this;
    let open = false;
    let size = 0;
    const end = (sql: string): void => {
      if (open && db.inTransaction) db.exec(sql);
      open = false;
      size = 0;
      this.ended();
    };
    return {
      add(fn) {
        if (!open) {
          db.exec('BEGIN');
          open = true;
        }
        fn();
        size++;
      },
      get size() {
        return size;
      },
      commit: () => {
        if (open) pending.flush();
        end('COMMIT');
      },
      rollback: () => end('ROLLBACK'),
    };
  }

  /**
   * A bulk insert into a store with no observation begins: the indexes it would fill row by row are dropped, and
   * nothing may look observations up by key or source, nor articles by date, until `indexed`.
   */
  bulkInsert(): void {
    dropIndexes(this.db);
  }

  /** The bulk insert is over: its indexes are built again, each in one sort. */
  indexed(): void {
    buildIndexes(this.db);
  }

  /** Page cache for a bulk write of `files` dump files: 32 MB from 100,000 files (random index inserts), else 8 MB. */
  sizeCacheFor(files: number): void {
    this.db.pragma(`cache_size = -${files >= 100_000 ? 32768 : 8192}`);
  }
}
