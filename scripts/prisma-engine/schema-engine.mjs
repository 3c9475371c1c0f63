// Offline Prisma schema engine: @prisma/schema-engine-wasm driven through @prisma/adapter-pg.
import { randomUUID } from "node:crypto";
import { readFileSync, readdirSync, existsSync } from "node:fs";
import { createRequire } from "node:module";
import { join, resolve, dirname } from "node:path";
import { PrismaPg } from "@prisma/adapter-pg";
import { parse as parseConn } from "pg-connection-string";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";
import * as glue from "@prisma/schema-engine-wasm/schema_engine_bg";

const require = createRequire(import.meta.url);
const pkgDir = dirname(require.resolve("@prisma/schema-engine-wasm/schema_engine_bg"));
// Prefer the wasm bundled with the installed prisma CLI (exact engine hash) if present, else the npm package's.
const cliWasm = join(dirname(require.resolve("prisma/package.json")), "build", "schema_engine_bg.wasm");
const wasmPath = process.env.SCHEMA_ENGINE_WASM ?? (existsSync(cliWasm) ? cliWasm : join(pkgDir, "schema_engine_bg.wasm"));
// wasm-bindgen glue reports Rust panics through this global (Prisma's CLI installs the same thing).
globalThis.PRISMA_WASM_PANIC_REGISTRY ??= { message: "", get() { return this.message; }, set_message(m) { this.message = `RuntimeError: ${m}`; } };
const mod = new WebAssembly.Module(readFileSync(wasmPath));
const inst = new WebAssembly.Instance(mod, { "./schema_engine_bg.js": glue });
glue.__wbg_set_wasm(inst.exports);
inst.exports.__wbindgen_start?.();

export function loadMigrations(dir) {
  dir = resolve(dir);
  const lock = join(dir, "migration_lock.toml");
  return {
    baseDir: dir,
    lockfile: { path: "migration_lock.toml", content: existsSync(lock) ? readFileSync(lock, "utf8") : null },
    shadowDbInitScript: "",
    migrationDirectories: (existsSync(dir) ? readdirSync(dir, { withFileTypes: true }) : [])
      .filter((d) => d.isDirectory()).map((d) => d.name).sort()
      .map((name) => {
        const f = join(dir, name, "migration.sql");
        return { path: name, migrationFile: { path: "migration.sql",
          content: existsSync(f) ? { tag: "ok", value: readFileSync(f, "utf8") } : { tag: "error", value: "missing migration.sql" } } };
      }),
  };
}
export function loadSchema(path) {
  return { files: [{ path: resolve(path), content: readFileSync(path, "utf8") }] };
}
export const noFilter = { externalTables: [], externalEnums: [] };

// NB: pass discrete fields, not connectionString: PrismaPg.connectToShadowDb() does
// new Pool({...config, database: shadow}) and pg lets connectionString override `database`,
// which would silently use the MAIN database as the shadow database.
function pgConfig(url) {
  const c = parseConn(url);
  return { host: c.host, port: c.port ? Number(c.port) : 5432, user: c.user, password: c.password,
           database: c.database, ssl: c.ssl, allowExitOnIdle: true };
}
// @prisma/adapter-pg 7.10.1 rejects PostgreSQL's internal "char" type (OID 18), which the engine's
// introspection queries select from pg_catalog (relkind, contype, ...). pg already returns it as a
// string, so report it as TEXT (OID 25). Patched once on the shared PgQueryable prototype.
let patched = false;
async function patchCharOid(factory) {
  if (patched) return;
  const probe = await factory.connect();
  // NOTE (Liaison): adapter-pg's executeScript splits the script on every ";", which breaks
  // hand-written migration SQL with function bodies ($$ ... ; ... $$). PostgreSQL's simple
  // query protocol runs a multi-statement script as the native engine does: send it whole.
  const adapterProto = Object.getPrototypeOf(probe);
  adapterProto.executeScript = async function (script) {
    try { await this.client.query(script); } catch (error) { this.onError(error); }
  };
  const proto = Object.getPrototypeOf(Object.getPrototypeOf(probe)); // PgQueryable
  const orig = proto.performIO;
  proto.performIO = async function (query) {
    const res = await orig.call(this, query);
    for (const f of res?.fields ?? []) if (f.dataTypeID === 18) f.dataTypeID = 25;
    return res;
  };
  await probe.dispose();
  patched = true;
}
export async function openEngine({ url, shadowUrl, schemaPath, datamodels, log }) {
  const main = new PrismaPg(pgConfig(url));
  await patchCharOid(main);
  // Own connectToShadowDb: adapter-pg 7.10.1 drops the temp shadow DB *before* closing its pool
  // ("database ... is being accessed by other users"), leaking prisma_migrate_shadow_db_* databases.
  const factory = bindMigrationAwareSqlAdapterFactory({
    provider: main.provider, adapterName: main.adapterName,
    connect: () => main.connect(),
    async connectToShadowDb() {
      if (shadowUrl) return new PrismaPg(pgConfig(shadowUrl)).connect(); // like shadowDatabaseUrl
      const name = `prisma_migrate_shadow_db_${randomUUID()}`;
      const admin = await main.connect();
      await admin.executeScript(`CREATE DATABASE "${name}"`);
      const shadow = await new PrismaPg({ ...pgConfig(url), database: name }).connect();
      const dispose = shadow.dispose.bind(shadow);
      shadow.dispose = async () => {
        await dispose();
        try { await admin.executeScript(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`); } finally { await admin.dispose(); }
      };
      return shadow;
    },
  });
  const schema = schemaPath ? loadSchema(schemaPath) : undefined;
  const engine = await glue.SchemaEngine.new(
    { datamodels: datamodels ?? (schema ? schema.files.map((f) => [f.path, f.content]) : undefined) },
    log ?? ((line) => { if (process.env.SE_DEBUG) console.error("[schema-engine]", line); }),
    factory,
  );
  return engine;
}
export const engineVersion = glue.version;
export { wasmPath };
