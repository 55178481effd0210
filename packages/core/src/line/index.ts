// The audit line's declared layout (issue #14): members and fixed text.
export { type LineEntryShape, lineEntryShape } from './entry-shape.js';
export {
  chainOverheadBytes,
  DETAILS_MEMBER,
  HASH_HEX_LENGTH,
  HASH_MEMBER_PREFIX,
  KEY_ID_MEMBER,
  LINE_PREFIX,
  LINK_TAIL_LENGTH,
  linkHead,
  PREV_MEMBER_PREFIX,
  PREV_VALUE_OFFSET,
  SEAL_SUFFIX_LENGTH,
  SEQ_MEMBER,
} from './framing.js';
export {
  isParamRequired,
  LINE_FIELD_CAPS,
  LINE_MEMBERS,
  type LineField,
  type LineMember,
  type LineMemberPart,
  MAX_ACTION_LENGTH,
  MAX_STATUS_LENGTH,
  membersOf,
  type ParamMember,
  type WrittenMember,
} from './members.js';
export {
  auditActionSchema,
  auditStatusSchema,
  type ParamRule,
  traceIdSchema,
} from './param-rules.js';
export {
  type LineParamShape,
  lineParamShape,
  PARAM_MEMBERS,
  type ParamLineMember,
} from './param-shape.js';
export { type StaticMemberValues, staticHead } from './static-head.js';
