import { mount } from 'svelte';
import App from './App.svelte';
import './app.css';
import { startTheme } from './lib/theme.ts';
import { chooseBridge } from './lib/web-bridge.ts';

// Before the first draw, so a dark choice never flashes light.
startTheme();

const target = document.getElementById('app');
if (!target) throw new Error('index.html has no #app element to mount Palaver into.');
mount(App, { target, props: { bridge: chooseBridge() } });
