export { connectFailFast } from './fail-fast-redis.ts';
