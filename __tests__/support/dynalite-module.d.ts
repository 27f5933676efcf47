// dynalite ships no type declarations; this is the part of its API the tests use (dynalite/index.js).
declare module "dynalite" {
  import type { Server } from "node:http";

  interface DynaliteOptions {
    /** Milliseconds a new table stays CREATING (default 500). */
    createTableMs?: number;
    /** Milliseconds a deleted table stays DELETING (default 500). */
    deleteTableMs?: number;
    /** Milliseconds an updated table stays UPDATING (default 500). */
    updateTableMs?: number;
    /** LevelDB directory; in memory when absent. */
    path?: string;
  }

  function dynalite(options?: DynaliteOptions): Server;
  export = dynalite;
}
