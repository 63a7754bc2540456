// describe job / cronjob (kubectl 1.32 pkg/describe/describe.go: describeJob, describeCronJob,
// describeJobTemplate, printActiveJobs).
import type { KObject } from '../../api/types';
import { humanDuration } from '../../util/duration';
import { describeEvents, formatLabelSelector, formatRFC1123Z, int, LEVEL_0, parseTime, printAnnotationsMultiline, printBool, printLabelsMultiline, str, tabbedString, type Json, type PrefixWriter } from './common';
import { describePodTemplate } from './workloads';

/** printController: Kind/name of the controller owner. */
function controlledBy(o: KObject): string | undefined {
  const ref = (o.metadata.ownerReferences ?? []).find((r: Json) => r.controller);
  return ref ? `${ref.kind}/${ref.name}` : undefined;
}

export function describeJob(job: KObject, events?: KObject[] | null): string {
  return tabbedString((w) => {
    const spec = job.spec ?? {};
    const st = job.status ?? {};
    w.write(LEVEL_0, `Name:\t${job.metadata.name}\n`);
    w.write(LEVEL_0, `Namespace:\t${str(job.metadata.namespace)}\n`);
    w.write(LEVEL_0, `Selector:\t${spec.selector ? formatLabelSelector(spec.selector) : ''}\n`);
    printLabelsMultiline(w, 'Labels', job.metadata.labels);
    printAnnotationsMultiline(w, 'Annotations', job.metadata.annotations);
    const owner = controlledBy(job);
    if (owner) w.write(LEVEL_0, `Controlled By:\t${owner}\n`);
    if (spec.parallelism != null) w.write(LEVEL_0, `Parallelism:\t${int(spec.parallelism)}\n`);
    w.write(LEVEL_0, `Completions:\t${spec.completions != null ? int(spec.completions) : '<unset>'}\n`);
    if (spec.completionMode != null) w.write(LEVEL_0, `Completion Mode:\t${str(spec.completionMode)}\n`);
    if (spec.suspend != null) w.write(LEVEL_0, `Suspend:\t${spec.suspend === true}\n`);
    if (spec.backoffLimit != null) w.write(LEVEL_0, `Backoff Limit:\t${int(spec.backoffLimit)}\n`);
    if (spec.ttlSecondsAfterFinished != null) w.write(LEVEL_0, `TTL Seconds After Finished:\t${int(spec.ttlSecondsAfterFinished)}\n`);
    if (st.startTime) w.write(LEVEL_0, `Start Time:\t${formatRFC1123Z(st.startTime)}\n`);
    if (st.completionTime) w.write(LEVEL_0, `Completed At:\t${formatRFC1123Z(st.completionTime)}\n`);
    if (st.startTime && st.completionTime) w.write(LEVEL_0, `Duration:\t${humanDuration(parseTime(st.completionTime) - parseTime(st.startTime))}\n`);
    if (spec.activeDeadlineSeconds != null) w.write(LEVEL_0, `Active Deadline Seconds:\t${int(spec.activeDeadlineSeconds)}s\n`);
    if (st.ready == null) w.write(LEVEL_0, `Pods Statuses:\t${int(st.active)} Active / ${int(st.succeeded)} Succeeded / ${int(st.failed)} Failed\n`);
    else w.write(LEVEL_0, `Pods Statuses:\t${int(st.active)} Active (${int(st.ready)} Ready) / ${int(st.succeeded)} Succeeded / ${int(st.failed)} Failed\n`);
    if (spec.completionMode === 'Indexed') w.write(LEVEL_0, `Completed Indexes:\t${st.completedIndexes || '<none>'}\n`);
    describePodTemplate(w, spec.template);
    if (events) describeEvents(w, events);
  });
}

function describeJobTemplate(w: PrefixWriter, jt: Json): void {
  const spec = jt?.spec ?? {};
  w.write(LEVEL_0, `Selector:\t${spec.selector ? formatLabelSelector(spec.selector) : '<unset>'}\n`);
  w.write(LEVEL_0, `Parallelism:\t${spec.parallelism != null ? int(spec.parallelism) : '<unset>'}\n`);
  w.write(LEVEL_0, `Completions:\t${spec.completions != null ? int(spec.completions) : '<unset>'}\n`);
  if (spec.activeDeadlineSeconds != null) w.write(LEVEL_0, `Active Deadline Seconds:\t${int(spec.activeDeadlineSeconds)}s\n`);
  describePodTemplate(w, spec.template);
}

export function describeCronJob(cj: KObject, events?: KObject[] | null): string {
  return tabbedString((w) => {
    const spec = cj.spec ?? {};
    const st = cj.status ?? {};
    const orUnset = (v: unknown, suffix = '') => (v != null ? `${int(v)}${suffix}` : '<unset>');
    w.write(LEVEL_0, `Name:\t${cj.metadata.name}\n`);
    w.write(LEVEL_0, `Namespace:\t${str(cj.metadata.namespace)}\n`);
    printLabelsMultiline(w, 'Labels', cj.metadata.labels);
    printAnnotationsMultiline(w, 'Annotations', cj.metadata.annotations);
    w.write(LEVEL_0, `Schedule:\t${str(spec.schedule)}\n`);
    w.write(LEVEL_0, `Concurrency Policy:\t${str(spec.concurrencyPolicy)}\n`);
    w.write(LEVEL_0, `Suspend:\t${spec.suspend != null ? printBool(spec.suspend) : '<unset>'}\n`);
    w.write(LEVEL_0, `Successful Job History Limit:\t${orUnset(spec.successfulJobsHistoryLimit)}\n`);
    w.write(LEVEL_0, `Failed Job History Limit:\t${orUnset(spec.failedJobsHistoryLimit)}\n`);
    w.write(LEVEL_0, `Starting Deadline Seconds:\t${orUnset(spec.startingDeadlineSeconds, 's')}\n`);
    describeJobTemplate(w, spec.jobTemplate);
    w.write(LEVEL_0, `Last Schedule Time:\t${st.lastScheduleTime ? formatRFC1123Z(st.lastScheduleTime) : '<unset>'}\n`);
    w.write(LEVEL_0, 'Active Jobs:\t');
    const active: Json[] = st.active ?? [];
    if (!active.length) w.writeLine('<none>');
    else w.writeLine(active.map((r) => str(r.name)).join(', '));
    if (events) describeEvents(w, events);
  });
}
