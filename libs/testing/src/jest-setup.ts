import 'reflect-metadata';
import { loadLocalEnv } from './local-env';

// Tests read the same connection settings the services use (.local/env, written by
// infra/local); variables already set in the environment win.
loadLocalEnv();
