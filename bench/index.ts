/**
 * `npm run bench`: the library-vs-hand-written mesh comparison (bench/mesh.ts), then the scale
 * table (bench/scale.ts). Either also runs alone: `node .bench-out/bench/mesh.js` or `scale.js`.
 * Exit code 1 when a check of either fails.
 */
import { main as mesh } from './mesh';
import { main as scale } from './scale';

mesh();
scale();
