import * as fs from 'fs';
import { SYNTHESIZED_APPS_DIR_ENV } from './synthesized-apps-dir';

/** jest's global teardown: remove the apps synthesized by `global-setup.ts`. */
export default function globalTeardown(): void {
  const dir = process.env[SYNTHESIZED_APPS_DIR_ENV];
  if (dir !== undefined) {
    fs.rmSync(dir, { recursive: true, force: true });
    delete process.env[SYNTHESIZED_APPS_DIR_ENV];
  }
}
