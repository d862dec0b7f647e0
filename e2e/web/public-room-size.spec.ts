// A public room with more people than a page: its record carries only how many are in it
// (backend/public_room_members.go), so the header counts from that number, live as people join, Room
// details lists the first page by name and says how many more, and its owner leaving picks a successor
// from that page or leaves the choice to the server. Both dialogs pass axe in both themes.
import type { Page } from '@playwright/test';
import type PocketBase from 'pocketbase';
import { expectAccessible } from '../axe.ts';
import { apiAs, expect, signIn, test } from '../fixtures.ts';
import { join } from './room-setup.ts';
import { shootThemes } from '../screenshots.ts';

/** More people than Room details shows at once (lib/room-people.ts MEMBERS_SHOWN). */
const CROWD = 55;

const shoot = (page: Page, name: string) => shootThemes(page, 'public-room-size', name);

/** Accounts made by a superuser, named `Crowd 01`… so that their order by name is known. */
async function crowd(admin: PocketBase, count: number): Promise<string[]> {
  const stamp = `${process.pid % 10000}${Date.now() % 100000}`;
  const made = await Promise.all(
    Array.from({ length: count }, (_, i) => {
      const username = `crowd${stamp}_${i}`;
      const password = `pw-${username}-long`;
      const name = `Crowd ${String(i + 1).padStart(2, '0')}`;
      return admin.collection('users').create(
        { username, email: `${username}@palaver.test`, password, passwordConfirm: password, name },
        {
          requestKey: null,
        },
      );
    }),
  );
  return made.map((u) => u.id as string);
}

test('a big public room: the header counts it live, details list a page and how many more, its owner hands it on', async ({
  page,
  server,
  makeAccount,
}) => {
  test.setTimeout(120_000);
  const owner = await makeAccount('host');
  const late = await makeAccount('late');
  const admin = await server.admin();
  const ownerApi = await apiAs(server, owner);
  const name = `crowd-${owner.id.slice(0, 5)}`;
  const room = await ownerApi
    .collection('rooms')
    .create({ name, kind: 'public', owner: owner.id, members: [owner.id] });
  const people = await crowd(admin, CROWD);
  await admin.collection('rooms').update(room.id, { members: [owner.id, ...people] });

  await signIn(page, server, owner);
  await page
    .getByRole('navigation', { name: 'Rooms' })
    .getByRole('button', { name: new RegExp(name) })
    .click();
  await expect(page.getByText(`Public room · ${CROWD + 1} members`)).toBeVisible();
  // Someone joining reaches the header through the room's realtime event, which carries the count.
  await join(await apiAs(server, late), room.id);
  await expect(page.getByText(`Public room · ${CROWD + 2} members`)).toBeVisible();

  await page.getByRole('button', { name: 'Room details' }).click();
  const details = page.getByRole('dialog', { name: `#${name}` });
  await expect(details.getByRole('heading', { name: `Members · ${CROWD + 2}` })).toBeVisible();
  const listed = details.getByRole('list', { name: `Members · ${CROWD + 2}` }).getByRole('listitem');
  // The first fifty by the name shown (the host and the latecomer by username, after the Crowd), then the rest.
  await expect(listed).toHaveCount(51);
  await expect(listed.first()).toContainText('Crowd 01');
  await expect(listed.nth(49)).toContainText('Crowd 50');
  await expect(listed.last()).toHaveText(`and ${CROWD + 2 - 50} more`);
  await shoot(page, 'details');
  await listed.last().scrollIntoViewIfNeeded();
  await shoot(page, 'details-end');
  await expectAccessible(page, 'a big public room’s details');

  await details.getByRole('button', { name: 'Leave room' }).click();
  const leave = page.getByRole('dialog', { name: `Leave #${name}?` });
  const successor = leave.getByLabel('New owner');
  await expect(successor.locator('option').first()).toHaveText('A moderator, or whoever has been in it longest');
  await expect(leave.getByText(`The first 50 by name are listed, and ${CROWD + 1 - 50} more.`)).toBeVisible();
  await shoot(page, 'leave');
  await expectAccessible(page, 'an owner leaving a big public room');
  const third = await admin.collection('users').getOne(people[2]!);
  await successor.selectOption({ label: `Crowd 03 (@${third.username as string})` });
  await leave.getByRole('button', { name: 'Leave room' }).click();
  await expect(leave).toHaveCount(0);
  const after = await admin.collection('rooms').getOne(room.id);
  expect(after.owner).toBe(people[2]);
  expect(after.members).not.toContain(owner.id);
});
