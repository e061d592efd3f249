import { test } from 'node:test';
import assert from 'node:assert/strict';
import rawCatalog from '../../server/src/core/catalog/catalog.json';
import { checkCatalog, loadCatalog } from '../../server/src/core/catalog/load';

/** A deep copy of the shipped catalog to break. */
function copy(): typeof rawCatalog {
  return JSON.parse(JSON.stringify(rawCatalog)) as typeof rawCatalog;
}

test('the shipped catalog passes its schema and its cross-references, and is what loadCatalog returns', () => {
  assert.deepEqual(checkCatalog(rawCatalog), []);
  assert.equal(loadCatalog(), rawCatalog as unknown);
  assert.ok(loadCatalog().entries.length > 10);
});

test('a broken catalog is reported: a duplicate entry id, a flow App-ID not of its entry, an App-ID without application-default ports, a schema violation', () => {
  const dup = copy();
  dup.entries.push(dup.entries[0]!);
  assert.deepEqual(checkCatalog(dup), [`entries: duplicate id '${dup.entries[0]!.id}'`]);

  const foreign = copy();
  const e = foreign.entries.find((x) => x.flows.length > 0)!;
  (e.flows[0] as { appIds?: string[] }).appIds = ['not-an-app-of-the-entry'];
  assert.deepEqual(checkCatalog(foreign), [`${e.id}/${e.flows[0]!.id}: App-ID 'not-an-app-of-the-entry' is not one of the entry's App-IDs`]);

  const noDefaults = copy();
  const d = noDefaults.entries[0]!;
  d.appIds = [...d.appIds, 'app-with-no-defaults'];
  assert.deepEqual(checkCatalog(noDefaults), [`${d.id}: App-ID 'app-with-no-defaults' has no application-default entry in 'applications'`]);

  const bad = copy() as unknown as { entries: { direction: string }[] };
  bad.entries[0]!.direction = 'sideways';
  assert.deepEqual(checkCatalog(bad), ['entries[0].direction: must be one of "inbound", "outbound", "both"']);
});
