/**
 * Discord's server-side checks on message payloads, interaction callbacks and application commands, answered
 * like Discord: 400 `Invalid Form Body` (50035) with nested `_errors`, or 50006 `Cannot send an empty message`.
 * Limits: discord-api-types `rest/v10/channel.d.ts`, `payloads/v10/message.d.ts`, Discord's "Message" and
 * "Application Commands" docs.
 */
import { ERRORS, FormErrors, isObject, textLength, type JsonObject } from './discord-types.ts';

type Path = Array<string | number>;

export const LIMITS = {
  content: 2000, embeds: 10, embedTotal: 6000, title: 256, description: 4096, fields: 25, fieldName: 256,
  fieldValue: 1024, footer: 2048, authorName: 256, rows: 5, perRow: 5, customId: 100, label: 80, selectOptions: 25,
  attachments: 10, choices: 25, commandOptions: 25, commandName: 32, commandDescription: 100, modalTitle: 45,
} as const;

const IS_COMPONENTS_V2 = 1 << 15;
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

function checkMax(errors: FormErrors, path: Path, value: unknown, max: number): number {
  const text = str(value);
  if (text !== undefined && textLength(text) > max) errors.maxLength(path, max);
  return text === undefined ? 0 : textLength(text);
}

function validateEmbeds(embeds: unknown[], errors: FormErrors, at: Path): void {
  if (embeds.length > LIMITS.embeds) errors.maxLength([...at, 'embeds'], LIMITS.embeds);
  let total = 0;
  embeds.forEach((embed, i) => {
    const p: Path = [...at, 'embeds', i];
    if (!isObject(embed)) return errors.add(p, 'MODEL_TYPE_CONVERT', 'Only dictionaries may be used in a ModelType');
    total += checkMax(errors, [...p, 'title'], embed.title, LIMITS.title);
    total += checkMax(errors, [...p, 'description'], embed.description, LIMITS.description);
    if (isObject(embed.footer)) total += checkMax(errors, [...p, 'footer', 'text'], embed.footer.text, LIMITS.footer);
    if (isObject(embed.author)) total += checkMax(errors, [...p, 'author', 'name'], embed.author.name, LIMITS.authorName);
    const fields = list(embed.fields);
    if (fields.length > LIMITS.fields) errors.maxLength([...p, 'fields'], LIMITS.fields);
    fields.forEach((field, j) => {
      const f = isObject(field) ? field : {};
      if (!str(f.name)) errors.required([...p, 'fields', j, 'name']);
      if (!str(f.value)) errors.required([...p, 'fields', j, 'value']);
      total += checkMax(errors, [...p, 'fields', j, 'name'], f.name, LIMITS.fieldName);
      total += checkMax(errors, [...p, 'fields', j, 'value'], f.value, LIMITS.fieldValue);
    });
  });
  if (total > LIMITS.embedTotal) {
    errors.add([...at, 'embeds'], 'MAX_EMBED_SIZE_EXCEEDED', `Embed size exceeds maximum size of ${LIMITS.embedTotal}`);
  }
}

function validateComponents(rows: unknown[], errors: FormErrors, at: Path): void {
  if (rows.length > LIMITS.rows) errors.maxLength([...at, 'components'], LIMITS.rows);
  const seen = new Set<string>();
  rows.forEach((row, i) => {
    const p: Path = [...at, 'components', i];
    if (!isObject(row) || row.type !== 1) {
      return errors.add([...p, 'type'], 'BASE_TYPE_CHOICES', 'Value must be one of {1}.');
    }
    const children = list(row.components);
    if (children.length === 0) errors.add([...p, 'components'], 'BASE_TYPE_MIN_LENGTH', 'Must be 1 or more in length.');
    if (children.length > LIMITS.perRow) errors.maxLength([...p, 'components'], LIMITS.perRow);
    children.forEach((child, j) => {
      const c = isObject(child) ? child : {};
      const cp: Path = [...p, 'components', j];
      checkMax(errors, [...cp, 'label'], c.label, LIMITS.label);
      checkMax(errors, [...cp, 'custom_id'], c.custom_id, LIMITS.customId);
      const customId = str(c.custom_id);
      if (c.type === 2 && c.style === 5 && !str(c.url)) errors.required([...cp, 'url']);
      if (c.type === 2 && c.style !== 5 && c.style !== 6 && !customId) errors.required([...cp, 'custom_id']);
      if (c.type !== 2 && children.length > 1) {
        errors.add(cp, 'COMPONENT_LAYOUT_WIDTH_EXCEEDED', 'The specified component exceeds the maximum width');
      }
      if (list(c.options).length > LIMITS.selectOptions) errors.maxLength([...cp, 'options'], LIMITS.selectOptions);
      if (customId !== undefined && seen.has(customId)) {
        errors.add([...cp, 'custom_id'], 'COMPONENT_CUSTOM_ID_DUPLICATED', 'Component custom id cannot be duplicated');
      }
      if (customId !== undefined) seen.add(customId);
    });
  });
}

function validateAllowedMentions(value: unknown, errors: FormErrors, at: Path): void {
  if (value === undefined || value === null) return;
  const p = [...at, 'allowed_mentions'];
  if (!isObject(value)) return errors.add(p, 'MODEL_TYPE_CONVERT', 'Only dictionaries may be used in a ModelType');
  const parse = list(value.parse);
  parse.forEach((kind, i) => {
    if (kind !== 'roles' && kind !== 'users' && kind !== 'everyone') {
      errors.add([...p, 'parse', i], 'BASE_TYPE_CHOICES', 'Value must be one of (\'roles\', \'users\', \'everyone\').');
    }
  });
  for (const kind of ['users', 'roles'] as const) {
    const ids = list(value[kind]);
    if (ids.length > 100) errors.maxLength([...p, kind], 100);
    if (ids.length > 0 && parse.includes(kind)) {
      errors.add(p, 'MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE',
        `parse:["${kind}"] and ${kind}: [ids...] are mutually exclusive.`);
    }
  }
}

/**
 * Checks a create/edit message payload (channel message, follow-up, callback data under `at = ['data']`).
 * Throws 50035 for form errors, then 50006 for an empty new message.
 */
export function validateMessage(payload: JsonObject, fileCount: number, opts: { at?: Path; edit?: boolean } = {}): void {
  const at = opts.at ?? [];
  const errors = new FormErrors();
  if (payload.content !== undefined && payload.content !== null && typeof payload.content !== 'string') {
    errors.add([...at, 'content'], 'BASE_TYPE_STRING', 'Could not interpret value as string.');
  }
  checkMax(errors, [...at, 'content'], payload.content, LIMITS.content);
  validateEmbeds(list(payload.embeds), errors, at);
  const flags = typeof payload.flags === 'number' ? payload.flags : 0;
  if ((flags & IS_COMPONENTS_V2) === 0) validateComponents(list(payload.components), errors, at);
  validateAllowedMentions(payload.allowed_mentions, errors, at);
  if (list(payload.attachments).length > LIMITS.attachments) errors.maxLength([...at, 'attachments'], LIMITS.attachments);
  if (fileCount > LIMITS.attachments) errors.maxLength([...at, 'files'], LIMITS.attachments);
  errors.throwIfAny();
  const empty = !str(payload.content) && list(payload.embeds).length === 0 && list(payload.components).length === 0
    && fileCount === 0 && list(payload.attachments).length === 0 && list(payload.sticker_ids).length === 0
    && !isObject(payload.poll);
  if (empty && !opts.edit) throw ERRORS.emptyMessage();
}

/** Callback types each interaction type accepts (interaction type → allowed response types). */
const CALLBACKS_FOR: Record<number, number[]> = { 2: [4, 5, 9, 12], 3: [4, 5, 6, 7, 9, 12], 4: [8], 5: [4, 5, 6, 7] };

export function validateCallback(body: JsonObject, interactionType: number, fileCount: number): void {
  const allowed = CALLBACKS_FOR[interactionType] ?? [];
  const type = body.type;
  const data = isObject(body.data) ? body.data : {};
  if (typeof type !== 'number' || !allowed.includes(type)) {
    const errors = new FormErrors();
    errors.add(['type'], 'BASE_TYPE_CHOICES', `Value must be one of (${allowed.join(', ')}).`);
    errors.throwIfAny();
  }
  if (type === 4) validateMessage(data, fileCount, { at: ['data'] });
  if (type === 7) validateMessage(data, fileCount, { at: ['data'], edit: true });
  const errors = new FormErrors();
  if (type === 8) {
    const choices = list(data.choices);
    if (choices.length > LIMITS.choices) errors.maxLength(['data', 'choices'], LIMITS.choices);
    choices.forEach((choice, i) => {
      const name = isObject(choice) ? str(choice.name) : undefined;
      if (!name || textLength(name) > 100) errors.badLength(['data', 'choices', i, 'name'], 1, 100);
    });
  }
  if (type === 9) {
    if (!str(data.custom_id)) errors.required(['data', 'custom_id']);
    checkMax(errors, ['data', 'custom_id'], data.custom_id, LIMITS.customId);
    if (!str(data.title)) errors.required(['data', 'title']);
    checkMax(errors, ['data', 'title'], data.title, LIMITS.modalTitle);
    const rows = list(data.components);
    if (rows.length < 1 || rows.length > 5) errors.badLength(['data', 'components'], 1, 5);
  }
  errors.throwIfAny();
}

const NAME = /^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;

function checkNameAndDescription(errors: FormErrors, p: Path, item: JsonObject, chatInput: boolean): void {
  const name = str(item.name) ?? '';
  if (textLength(name) < 1 || textLength(name) > LIMITS.commandName) errors.badLength([...p, 'name'], 1, LIMITS.commandName);
  else if (chatInput && (!NAME.test(name) || name !== name.toLowerCase())) {
    errors.add([...p, 'name'], 'APPLICATION_COMMAND_INVALID_NAME', 'Command name is invalid');
  }
  const description = str(item.description) ?? '';
  const len = textLength(description);
  if (chatInput && (len < 1 || len > LIMITS.commandDescription)) {
    errors.badLength([...p, 'description'], 1, LIMITS.commandDescription);
  }
}

/** `level`: 0 = command, 1 = subcommand group, 2 = subcommand. */
function validateOptions(options: unknown[], errors: FormErrors, p: Path, level: 0 | 1 | 2): void {
  if (options.length > LIMITS.commandOptions) errors.maxLength([...p, 'options'], LIMITS.commandOptions);
  const names = new Set<string>();
  let optionalSeen = false;
  const kinds = new Set<boolean>();
  options.forEach((raw, i) => {
    const op: Path = [...p, 'options', i];
    const option = isObject(raw) ? raw : {};
    const type = typeof option.type === 'number' ? option.type : 0;
    const allowed = level === 0 ? [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11] : level === 1 ? [1] : [3, 4, 5, 6, 7, 8, 9, 10, 11];
    if (!allowed.includes(type)) errors.add([...op, 'type'], 'BASE_TYPE_CHOICES', `Value must be one of {${allowed.join(', ')}}.`);
    checkNameAndDescription(errors, op, option, true);
    const name = str(option.name) ?? '';
    if (names.has(name)) errors.add([...op, 'name'], 'APPLICATION_COMMAND_OPTIONS_DUPLICATE_NAME', 'Option names must be unique');
    names.add(name);
    kinds.add(type === 1 || type === 2);
    if (option.required === true && optionalSeen) {
      errors.add([...op, 'required'], 'APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID',
        'Required options must be placed before non-required options');
    }
    if (option.required !== true && type !== 1 && type !== 2) optionalSeen = true;
    const choices = list(option.choices);
    if (choices.length > LIMITS.choices) errors.maxLength([...op, 'choices'], LIMITS.choices);
    if (type === 1 || type === 2) validateOptions(list(option.options), errors, op, type === 2 ? 1 : 2);
  });
  if (kinds.size > 1) {
    errors.add([...p, 'options'], 'APPLICATION_COMMAND_OPTIONS_TYPE_INVALID',
      'Sub-command and sub-command group option types are mutually exclusive to all other types');
  }
}

/** Validates a bulk-overwrite body (PUT .../commands): an array of command definitions. */
export function validateCommands(body: unknown): JsonObject[] {
  const errors = new FormErrors();
  if (!Array.isArray(body)) {
    errors.add([], 'BASE_TYPE_ARRAY', 'Must be an array.');
    errors.throwIfAny();
    return [];
  }
  const seen = new Set<string>();
  body.forEach((raw, i) => {
    const command = isObject(raw) ? raw : {};
    const type = command.type ?? 1;
    if (type !== 1 && type !== 2 && type !== 3 && type !== 4) {
      errors.add([i, 'type'], 'BASE_TYPE_CHOICES', 'Value must be one of {1, 2, 3, 4}.');
    }
    checkNameAndDescription(errors, [i], command, type === 1);
    const key = `${String(type)}:${str(command.name) ?? ''}`;
    if (seen.has(key)) errors.add([i, 'name'], 'APPLICATION_COMMANDS_DUPLICATE_NAME', 'Application command names must be unique');
    seen.add(key);
    if (type === 1) validateOptions(list(command.options), errors, [i], 0);
  });
  if (body.length > 100) errors.maxLength([], 100);
  errors.throwIfAny();
  return body as JsonObject[];
}
