import { appraisalArea } from '../appraisal/area';
import { auditArea } from '../audit/area';
import { backupArea } from '../backup/area';
import { billingArea } from '../billing/area';
import { collectionArea } from '../collection/area';
import { customersArea } from '../customers/area';
import { readingsArea } from '../readings/area';
import { staffArea } from '../staff/area';
import { syncArea } from '../sync/area';
import { serviceArea } from '../service/area';
import type { AreaDef } from './area';

// Every desk of the UI, in menu order. Each later desk adds its area here.
export const AREAS: AreaDef[] = [customersArea, collectionArea, readingsArea, billingArea, appraisalArea, staffArea, auditArea, backupArea, syncArea, serviceArea];
