export { editJsonBody, hasEdits } from './edit-json-body.ts';
export type { BodyEdits } from './edit-json-body.ts';
export { findTopLevelMembers } from './json-members.ts';
export type { JsonMember } from './json-members.ts';
