export { ModelTable } from './model-table.ts';
export type { ResolvedModel } from './model-table.ts';
