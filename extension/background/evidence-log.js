// The evidence log's one writer. Reports come from panels in many tabs while the person edits
// statuses on the evidence page: every change goes through here, one read-modify-write at a time,
// so none is lost to another.

import { EDITABLE, STATUSES } from '../shared/evidence.js';
import { readEvidence, writeEvidence } from '../shared/store.js';

let queue = Promise.resolve();

function change(edit) {
  const run = queue.then(async () => {
    const next = edit(await readEvidence());
    await writeEvidence(next);
    return next;
  });
  queue = run.catch(() => {});
  return run;
}

export function addRecords(records) {
  return change((log) => [...log, ...records]);
}

/** Applies the person's changes (status, ticket id, reply) to one record; other fields are kept. */
export function updateRecord(id, changes) {
  const allowed = Object.fromEntries(
    Object.entries(changes ?? {}).filter(([key, value]) => EDITABLE.includes(key) && typeof value === 'string'),
  );
  if (allowed.status && !STATUSES.includes(allowed.status)) delete allowed.status;
  return change((log) => log.map((r) => (r.id === id ? { ...r, ...allowed, updatedAt: new Date().toISOString() } : r)));
}

export function deleteRecord(id) {
  return change((log) => log.filter((r) => r.id !== id));
}

export function clearRecords() {
  return change(() => []);
}

export async function findRecord(id) {
  await queue;
  return (await readEvidence()).find((r) => r.id === id);
}
