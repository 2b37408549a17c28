import type { JobState } from '../../../shared/contract';
import { notFound } from '../errors';
import type { Call, HandlerGroup } from '../handler';

/** A job is visible to the staff member who started it (and to nobody else). */
function visible(call: Call, jobId: string, state: JobState | undefined): JobState {
  const owner = call.backend.jobs.ownerOf(jobId);
  if (!state || owner !== call.staff?.id) throw notFound(`job ${jobId}`);
  return state;
}

export const jobHandlers = {
  'jobs.get': (input, call) => visible(call, input.jobId, call.backend.jobs.get(input.jobId)),
  'jobs.watch': async (input, call) => {
    visible(call, input.jobId, call.backend.jobs.get(input.jobId));
    return visible(call, input.jobId, await call.backend.jobs.watch(input.jobId, input.afterVersion));
  },
} satisfies HandlerGroup;
