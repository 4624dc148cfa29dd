/** Version of `@cloud-infinite/cli`, printed by `ci-media --version` and sent in the User-Agent (kept equal to package.json by a test). */
export const VERSION = '0.1.0';
