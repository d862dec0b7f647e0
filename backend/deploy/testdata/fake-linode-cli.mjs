// A stand-in for linode-cli, for provision.test.ts: answers the calls provision.sh makes from a JSON
// state file instead of Linode's API, and records every call.
//   FAKE_LINODE_STATE  directory holding state.json (resources; created empty if missing) and
//                      calls.json (one array of arguments per call, appended)
//   FAKE_LINODE_FAIL   "group action" (e.g. "volumes create") that fails once, like an API error
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.env.FAKE_LINODE_STATE;
if (!dir) {
  console.error('fake linode-cli: FAKE_LINODE_STATE is not set');
  process.exit(2);
}
const stateFile = join(dir, 'state.json');
const callsFile = join(dir, 'calls.json');
const args = process.argv.slice(2);

const calls = existsSync(callsFile) ? JSON.parse(readFileSync(callsFile, 'utf8')) : [];
calls.push(args);
writeFileSync(callsFile, JSON.stringify(calls, null, 1));

const state = existsSync(stateFile)
  ? JSON.parse(readFileSync(stateFile, 'utf8'))
  : { nextId: 100, firewalls: [], linodes: [], volumes: [], domains: [], records: {}, secrets: {} };
const save = () => writeFileSync(stateFile, JSON.stringify(state, null, 1));

function fail(message, code = 1) {
  console.error(`fake linode-cli: ${message}`);
  process.exit(code);
}

if (!process.env.LINODE_CLI_TOKEN) fail('no token (LINODE_CLI_TOKEN)', 4);

// Parse: positionals, --flag value, and the value-less flags provision.sh uses.
const bare = new Set(['--json', '--all-rows', '--no-defaults', '--suppress-warnings']);
const positional = [];
const flags = {};
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  if (bare.has(a)) flags[a.slice(2)] = true;
  else if (a === '--root_pass' && (i + 1 >= args.length || args[i + 1].startsWith('--'))) {
    // As linode-cli does for a password field given without a value: from LINODE_CLI_ROOT_PASS.
    flags.root_pass =
      process.env.LINODE_CLI_ROOT_PASS ?? fail('--root_pass without a value and no LINODE_CLI_ROOT_PASS', 2);
  } else if (a.startsWith('--')) {
    if (i + 1 >= args.length) fail(`${a} needs a value`, 2);
    const key = a.slice(2);
    const value = args[++i];
    if (key === 'authorized_keys') (flags[key] ??= []).push(value);
    else flags[key] = value;
  } else positional.push(a);
}
const [group, action, id] = positional;
const command = `${group} ${action}`;

if (process.env.FAKE_LINODE_FAIL === command && !state.failed) {
  state.failed = true;
  save();
  fail(`Request failed: 400 (simulated failure of ${command})`);
}

const out = (value) => process.stdout.write(JSON.stringify(value) + '\n');
const newId = () => state.nextId++;
const byLabel = (list) => (flags.label ? list.filter((r) => r.label === flags.label) : list);
const find = (list, what) => list.find((r) => String(r.id) === String(id)) ?? fail(`${what} ${id} not found`);

switch (command) {
  case 'regions view':
    out([
      {
        id,
        capabilities: id === 'xx-nometa' ? ['Linodes', 'Block Storage'] : ['Linodes', 'Block Storage', 'Metadata'],
      },
    ]);
    break;
  case 'images view':
    out([{ id, capabilities: ['cloud-init'] }]);
    break;
  case 'firewalls list':
    out(state.firewalls);
    break;
  case 'firewalls create': {
    const fw = {
      id: newId(),
      label: flags.label,
      status: 'enabled',
      rules: {
        inbound_policy: flags['rules.inbound_policy'],
        outbound_policy: flags['rules.outbound_policy'],
        inbound: JSON.parse(flags['rules.inbound']),
      },
    };
    state.firewalls.push(fw);
    save();
    out([fw]);
    break;
  }
  case 'linodes list':
    out(byLabel(state.linodes));
    break;
  case 'linodes create': {
    const n = state.linodes.length + 10;
    const linode = {
      id: newId(),
      label: flags.label,
      region: flags.region,
      type: flags.type,
      image: flags.image,
      status: 'provisioning',
      after: flags.booted === 'false' ? 'offline' : 'running',
      firewall_id: Number(flags.firewall_id),
      ipv4: [`203.0.113.${n}`],
      ipv6: `2001:db8::${n}/128`,
    };
    state.linodes.push(linode);
    state.secrets[linode.id] = {
      root_pass: flags.root_pass,
      authorized_keys: flags.authorized_keys,
      user_data: flags['metadata.user_data'],
    };
    save();
    out([linode]);
    break;
  }
  case 'linodes view': {
    // Like the API: 'provisioning' at first, then offline (created with --booted false) or running.
    const linode = find(state.linodes, 'linode');
    out([linode]);
    if (linode.after) {
      linode.status = linode.after;
      delete linode.after;
      save();
    }
    break;
  }
  case 'linodes boot':
    find(state.linodes, 'linode').status = 'running';
    save();
    break;
  case 'volumes list':
    out(byLabel(state.volumes));
    break;
  case 'volumes create': {
    const linode =
      state.linodes.find((l) => String(l.id) === flags.linode_id) ?? fail(`linode ${flags.linode_id} not found`);
    const volume = {
      id: newId(),
      label: flags.label,
      size: Number(flags.size),
      region: linode.region,
      linode_id: linode.id,
      linode_label: linode.label,
      status: 'active',
    };
    state.volumes.push(volume);
    save();
    out([volume]);
    break;
  }
  case 'volumes attach': {
    const volume = find(state.volumes, 'volume');
    if (volume.linode_id) fail(`volume ${id} is already attached`);
    volume.linode_id = Number(flags.linode_id);
    save();
    out([volume]);
    break;
  }
  case 'volumes view':
    out([find(state.volumes, 'volume')]);
    break;
  case 'domains list':
    out(state.domains);
    break;
  case 'domains records-list':
    out(state.records[id] ?? []);
    break;
  case 'domains records-create': {
    const record = {
      id: newId(),
      type: flags.type,
      name: flags.name,
      target: flags.target,
      ttl_sec: Number(flags.ttl_sec),
    };
    (state.records[id] ??= []).push(record);
    save();
    out([record]);
    break;
  }
  default:
    fail(`unexpected call: ${args.join(' ')}`, 2);
}
