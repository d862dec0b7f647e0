import { expect, it } from 'vitest';
import { newRecordId } from './record-id.ts';

it('makes PocketBase-shaped ids that do not repeat', () => {
  const ids = new Set(Array.from({ length: 2000 }, () => newRecordId()));
  expect(ids.size).toBe(2000);
  for (const id of ids) expect(id).toMatch(/^[a-z0-9]{15}$/);
});
