// Email enumeration, from the attacker's side: nothing a stranger can do (sign up, sign in afterwards,
// ask for an email change) may tell whether an email address has an account here. An address becomes
// an account's email only through the link mailed to it (backend/email_claims.go).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UsersRecord } from '../../src-shared/pocketbase-types.ts';
import { anonymous, refused, signUp, type TestUser } from '../testing/clients.ts';
import { startMailSink, type MailSink } from '../testing/mail-sink.ts';
import { startTestServer, type TestServer } from '../testing/server.ts';

let server: TestServer;
let sink: MailSink;
let victim: TestUser;
let attacker: TestUser;
let sequence = 0;

const password = 'attacker-password-1';

function freshAddress(): string {
  return `free-${process.pid}-${++sequence}@palaver.test`;
}

function newSignUp(email: string) {
  const username = `probe_${process.pid}_${++sequence}`;
  return {
    username,
    request: anonymous(server)
      .collection('users')
      .create<UsersRecord>({ username, email, password, passwordConfirm: password }),
  };
}

/** What an answer says once the parts that differ for every account anyway are set aside. */
function shape(record: UsersRecord): Record<string, unknown> {
  const { id: _id, username: _u, created: _c, updated: _up, ...rest } = record;
  return rest;
}

beforeAll(async () => {
  [server, sink] = await Promise.all([startTestServer(), startMailSink()]);
  const admin = await server.admin();
  await admin.settings.update({
    meta: { senderName: 'Palaver', senderAddress: 'palaver@palaver.test' },
    smtp: { enabled: true, host: '127.0.0.1', port: sink.port, username: '', password: '', tls: false },
  });
  [victim, attacker] = await Promise.all([signUp(server, 'victim'), signUp(server, 'attacker')]);
});

afterAll(async () => {
  await server?.stop();
  await sink?.stop();
});

describe('signing up with an address', () => {
  it('answers the same whether the address has an account or not', async () => {
    const taken = await newSignUp(victim.email).request;
    const free = await newSignUp(freshAddress()).request;
    expect(shape(taken)).toEqual(shape(free));
    expect(taken).not.toHaveProperty('email');
  });

  it('does not let the address sign in afterwards, taken or free: the username does, the same way', async () => {
    const address = freshAddress();
    const viaTaken = newSignUp(victim.email);
    const viaFree = newSignUp(address);
    await Promise.all([viaTaken.request, viaFree.request]);
    const takenTry = await refused(anonymous(server).collection('users').authWithPassword(victim.email, password));
    const freeTry = await refused(anonymous(server).collection('users').authWithPassword(address, password));
    expect(freeTry).toEqual(takenTry);
    for (const { username } of [viaTaken, viaFree]) {
      const auth = await anonymous(server).collection('users').authWithPassword(username, password);
      // The account's own view shows no email and no verification yet, in both cases.
      expect([auth.record.email, auth.record.verified], username).toEqual(['', false]);
    }
    // The victim's account is untouched.
    expect(
      (await anonymous(server).collection('users').authWithPassword(victim.email, victim.password)).record.id,
    ).toBe(victim.id);
  });

  it('mails a free address a link that makes it the email of the account, and tells a taken one its owner', async () => {
    const address = freshAddress();
    const claim = newSignUp(address);
    await claim.request;
    const link = await sink.next(address);
    const token = /confirm-email-change\/([\w.-]+)/.exec(link.text)?.[1];
    expect(token, link.text).toBeTruthy();
    await anonymous(server).collection('users').confirmEmailChange(token!, password);
    const auth = await anonymous(server).collection('users').authWithPassword(address, password);
    expect([auth.record.username, auth.record.email, auth.record.verified]).toEqual([claim.username, address, true]);

    const owner = await signUp(server, 'owner');
    const since = sink.mails.length;
    await newSignUp(owner.email).request;
    const note = await sink.next(owner.email, since);
    expect(note.text).toContain('already has one');
    expect(note.text).not.toMatch(/confirm-email-change/);
  });

  it('still says when a username is taken (usernames are public)', async () => {
    const result = await refused(
      anonymous(server)
        .collection('users')
        .create({ username: victim.username, email: freshAddress(), password, passwordConfirm: password }),
    );
    expect(result.data.username?.code).toBe('validation_not_unique');
    expect(result.data).not.toHaveProperty('email');
  });

  it('refuses an ill-formed address with a field error, which says nothing about anyone', async () => {
    const result = await refused(newSignUp('not-an-address').request);
    expect(result.status).toBe(400);
    expect(result.data.email?.code).toMatch(/^validation_/);
  });
});

describe('asking for an email change', () => {
  it('answers the same for a taken and a free address, and only a free one is mailed a link', async () => {
    const address = freshAddress();
    const before = sink.mails.length;
    await attacker.pb.collection('users').requestEmailChange(victim.email);
    await attacker.pb.collection('users').requestEmailChange(address);
    await sink.next(address, before);
    const sent = sink.mails.slice(before);
    expect(sent.some((m) => m.to.includes(victim.email))).toBe(false);
    const stored = await (await server.admin()).collection('users').getOne<UsersRecord>(victim.id);
    expect(stored.email).toBe(victim.email);
  });

  it('still refuses what concerns only the caller: no address, an ill-formed one, the current one', async () => {
    for (const newEmail of ['', 'nope', attacker.email]) {
      const result = await refused(attacker.pb.collection('users').requestEmailChange(newEmail));
      expect(result.status, newEmail).toBe(400);
      expect(result.data.newEmail?.code, newEmail).toMatch(/^validation_/);
    }
    expect((await refused(anonymous(server).collection('users').requestEmailChange(freshAddress()))).status).toBe(401);
  });
});
