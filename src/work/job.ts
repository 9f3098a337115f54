/**
 * Kinds of job, defined where their topic lives and registered here by the name a worker thread finds them by. A
 * kind's code loads on its first job, so a build that runs none never loads it.
 */

/** A kind of job: input and result are plain data (they cross threads). */
export interface JobKind<I, O> {
  readonly name: string;
  /** Loads the code that runs one job. */
  readonly load: () => Promise<(input: I) => O | Promise<O>>;
}

// biome-ignore lint/suspicious/noExplicitAny: the registry holds kinds of every input and result type.
type AnyKind = JobKind<any, any>;

const KINDS = new Map<string, AnyKind>();
const LOADED = new Map<string, Promise<(input: unknown) => unknown>>();

/** Defines and registers a kind of job under a name unique in the program. */
export function defineJob<I, O>(name: string, load: JobKind<I, O>['load']): JobKind<I, O> {
  if (KINDS.has(name)) throw new Error(`job kind ${name} is defined twice`);
  const kind: JobKind<I, O> = { name, load };
  KINDS.set(name, kind);
  return kind;
}

/** The kind registered under `name`, if any. */
export function jobKind(name: string): AnyKind | undefined {
  return KINDS.get(name);
}

/** Runs one job of `kind` on this thread. */
export async function runJob<I, O>(kind: JobKind<I, O>, input: I): Promise<O> {
  let code = LOADED.get(kind.name);
  if (code === undefined) {
    code = kind.load() as Promise<(input: unknown) => unknown>;
    LOADED.set(kind.name, code);
  }
  return (await code)(input) as O;
}
