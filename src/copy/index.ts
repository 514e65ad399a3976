// The tree copy engine: cptree's, and mvtree's when a move crosses filesystems.
export { TreeCopier } from './tree-copier.js';
export { planCopy, PlanError, type CopyPlan, type CopyStart, type Target } from './plan.js';
export { beginResumable, resumeRule, type ResumeMarker } from './resume.js';
export { isTempName, removeStaleTemps } from './temp-names.js';
export { newCopyCounters, type Action, type CopyCounters, type CopyEvents, type CopyOptions, type EntryType } from './types.js';
export { MARKER_PREFIX, markerPath, ownMarker, readMarker, removeMarker, writeMarker, type Marker } from './marker.js';
export { baseName, dirName, isWithin, joinPath, realPath, resolvePath, stripSlashes } from './paths.js';
export { copyFlags } from './flags.js';
export { doneStampPath, finalizeCopy, missingStamps, missingStampsText, planCopyShare, removeStamps, writeDoneStamp, type FinalizeResult } from './shards.js';
