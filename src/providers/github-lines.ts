import { numberAt, valueAt } from './json-fields.ts';

/** A fact of a line: a template for `fillTemplate`, or a function for what a template cannot say. */
export type GithubFact = string | ((body: unknown) => string | undefined);

export interface GithubLine {
  /** What the event is about, said right after the action: `opened #12 Fix it`. */
  subject?: string;
  facts?: readonly GithubFact[];
}

const BY = 'by {sender.login}';
const ISSUE = '#{issue.number} {issue.title}';
const PULL = '#{pull_request.number} {pull_request.title}';

/** `3 stars` from a count field; the count is the one after the event. */
function count(path: string, noun: string): GithubFact {
  return (body) => {
    const value = numberAt(body, path);
    return value === undefined ? undefined : `${value} ${noun}${value === 1 ? '' : 's'}`;
  };
}

/** `2 repositories` from an array field. */
function listSize(path: string, singular: string, plural: string): GithubFact {
  return (body) => {
    const list = valueAt(body, path);
    return Array.isArray(list) && list.length > 0 ? `${list.length} ${list.length === 1 ? singular : plural}` : undefined;
  };
}

/**
 * What each GitHub event type says after the repository (or organisation) and the action, as data:
 * the payload fields a person wants (who, which object, which state). Event types not listed here
 * say only the repository and action; the README states the measured coverage.
 */
export const GITHUB_LINES: Readonly<Record<string, GithubLine>> = {
  branch_protection_rule: { subject: 'rule {rule.name}', facts: [BY] },
  check_run: { subject: 'check {check_run.name}', facts: ['{check_run.conclusion|check_run.status}', '{check_run.check_suite.head_branch}', '{requested_action.identifier}'] },
  check_suite: { subject: 'suite {check_suite.app.name}', facts: ['{check_suite.conclusion|check_suite.status}', '{check_suite.head_branch}'] },
  code_scanning_alert: { subject: 'alert #{alert.number} {alert.rule.description}', facts: ['severity {alert.rule.security_severity_level|alert.rule.severity}', '{alert.tool.name}', BY] },
  commit_comment: { subject: 'comment on {comment.commit_id:7}', facts: ['by {comment.user.login}'] },
  create: { subject: '{ref_type} {ref} created', facts: [BY] },
  delete: { subject: '{ref_type} {ref} deleted', facts: [BY] },
  dependabot_alert: { subject: 'alert #{alert.number} {alert.security_advisory.summary}', facts: ['severity {alert.security_advisory.severity}', '{alert.dependency.package.ecosystem} {alert.dependency.package.name}'] },
  deploy_key: { subject: 'deploy key {key.title}', facts: [BY] },
  deployment: { subject: 'deployment to {deployment.environment}', facts: ['{deployment.ref}', 'by {deployment.creator.login}'] },
  deployment_review: { subject: 'review of {workflow_run.name|workflow_job_run.name}', facts: ['environment {environment|workflow_job_run.environment}', 'by {requestor.login|sender.login}'] },
  deployment_status: { subject: 'deployment {deployment_status.state}', facts: ['to {deployment_status.environment|deployment.environment}', '{deployment.ref}', '{deployment_status.description}'] },
  discussion: { subject: '#{discussion.number} {discussion.title}', facts: ['{discussion.category.name}', 'label {label.name}', 'answer by {answer.user.login}', BY] },
  discussion_comment: { subject: 'comment on #{discussion.number} {discussion.title}', facts: ['by {comment.user.login}'] },
  fork: { subject: 'forked to {forkee.full_name}', facts: [count('repository.forks_count', 'fork'), BY] },
  github_app_authorization: { subject: 'authorization', facts: [BY] },
  gollum: { subject: 'wiki {pages.0.action} {pages.0.title}', facts: [listSize('pages', 'page', 'pages'), BY] },
  installation: { subject: 'installation on {installation.account.login}', facts: ['app {installation.app_slug}', listSize('repositories', 'repository', 'repositories'), BY] },
  installation_repositories: {
    subject: 'repositories on {installation.account.login}',
    facts: [listSize('repositories_added', 'added', 'added'), listSize('repositories_removed', 'removed', 'removed'), BY],
  },
  issue_comment: { subject: `comment on ${ISSUE}`, facts: ['by {comment.user.login}'] },
  issues: { subject: ISSUE, facts: ['label {label.name}', 'assignee {assignee.login}', 'milestone {milestone.title}', BY] },
  label: { subject: 'label {label.name}', facts: ['was {changes.name.from}', BY] },
  marketplace_purchase: { subject: 'plan {marketplace_purchase.plan.name}', facts: ['for {marketplace_purchase.account.login}', 'was {previous_marketplace_purchase.plan.name}'] },
  member: { subject: 'member {member.login}', facts: ['permission {changes.permission.to}', BY] },
  membership: { subject: '{member.login} in team {team.name}', facts: [BY] },
  merge_group: { subject: 'merge group {merge_group.head_ref}', facts: ['into {merge_group.base_ref}', '{merge_group.head_commit.message}'] },
  meta: { subject: 'webhook {hook_id}', facts: ['{hook.type}', BY] },
  milestone: { subject: 'milestone {milestone.title}', facts: [count('milestone.open_issues', 'open issue'), BY] },
  organization: { subject: 'member {membership.user.login|invitation.login|invitation.email}', facts: ['was {changes.login.from}', BY] },
  org_block: { subject: 'user {blocked_user.login}', facts: [BY] },
  package: { subject: '{package.package_type} package {package.name}', facts: ['version {package.package_version.version}', BY] },
  page_build: { subject: 'Pages build {build.status}', facts: ['{build.error.message}', 'by {build.pusher.login}'] },
  ping: { subject: 'ping', facts: ['{zen}'] },
  project: { subject: 'project {project.name}', facts: [BY] },
  project_card: { subject: 'card {project_card.note|project_card.id}', facts: [BY] },
  project_column: { subject: 'column {project_column.name}', facts: [BY] },
  projects_v2_item: { subject: 'project item {projects_v2_item.content_type}', facts: ['field {changes.field_value.field_name}', BY] },
  public: { subject: 'made public', facts: [BY] },
  pull_request: {
    subject: PULL,
    facts: [(body) => (valueAt(body, 'pull_request.merged') === true ? 'merged' : undefined), 'label {label.name}', 'reviewer {requested_reviewer.login|requested_team.name}', BY],
  },
  pull_request_review: { subject: `review on ${PULL}`, facts: ['{review.state}', 'by {review.user.login}'] },
  pull_request_review_comment: { subject: `review comment on ${PULL}`, facts: ['{comment.path}', 'by {comment.user.login}'] },
  pull_request_review_thread: { subject: `thread on ${PULL}`, facts: [listSize('thread.comments', 'comment', 'comments'), BY] },
  release: { subject: '{release.tag_name}', facts: ['{release.name}', (body) => (valueAt(body, 'release.prerelease') === true ? 'prerelease' : undefined), 'by {release.author.login}'] },
  repository: { subject: 'repository', facts: ['{repository.visibility}', 'was {changes.repository.name.from}', 'from {changes.owner.from.user.login|changes.owner.from.organization.login}', BY] },
  repository_dispatch: { subject: 'dispatch', facts: ['on {branch}', BY] },
  repository_import: { subject: 'import {status}', facts: [BY] },
  repository_vulnerability_alert: { subject: 'alert {alert.affected_package_name} {alert.affected_range}', facts: ['severity {alert.severity}', 'fixed in {alert.fixed_in}'] },
  security_advisory: { subject: '{security_advisory.ghsa_id} {security_advisory.summary}', facts: ['severity {security_advisory.severity}'] },
  sponsorship: { subject: 'sponsorship by {sponsorship.sponsor.login}', facts: ['{sponsorship.tier.name}', 'of {sponsorship.sponsorable.login}'] },
  star: { subject: 'star', facts: [count('repository.stargazers_count', 'star'), BY] },
  status: { subject: '{context} {state}', facts: ['on {sha:7}', '{description}'] },
  team: { subject: 'team {team.name}', facts: [BY] },
  team_add: { subject: 'team {team.name} added', facts: [BY] },
  watch: { subject: 'watch', facts: [count('repository.watchers_count', 'watcher'), BY] },
  workflow_dispatch: { subject: 'workflow {workflow} dispatched', facts: ['on {ref}', BY] },
  workflow_job: { subject: 'job {workflow_job.name}', facts: ['{workflow_job.conclusion}', '{workflow_job.workflow_name}', '{workflow_job.head_branch}'] },
  workflow_run: { subject: '{workflow_run.name}', facts: ['{workflow_run.conclusion}', '{workflow_run.head_branch}', 'by {workflow_run.actor.login|sender.login}'] },
};
