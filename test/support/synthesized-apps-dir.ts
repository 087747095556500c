/**
 * The environment variable through which jest's global setup (`global-setup.ts`) hands the
 * directory of the apps it synthesized to the test files (jest workers inherit the environment
 * of the setup). A module of its own, so that the setup and the teardown read it without
 * loading the examples.
 */
export const SYNTHESIZED_APPS_DIR_ENV = 'CDK_VPC_CONNECT_TEST_APPS_DIR';

/** In that directory, the file holding why the setup could not load the apps (when it could not). */
export const SETUP_ERROR_FILE = 'setup.error.txt';
