import { PGlite } from '@electric-sql/pglite';
let t = Date.now();
const a = await PGlite.create(); console.log('create1', Date.now() - t); t = Date.now();
const b = await PGlite.create(); console.log('create2', Date.now() - t); t = Date.now();
await b.exec('create table x(a int)'); console.log('ddl', Date.now() - t); t = Date.now();
const dump = await a.dumpDataDir('none'); console.log('dump', Date.now() - t, dump.size); t = Date.now();
const c = await PGlite.create({ loadDataDir: dump }); console.log('fromdump', Date.now() - t); t = Date.now();
