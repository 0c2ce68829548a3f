import { createFieldDescriber } from './create-field-describer.ts';
import { stringAt } from './json-fields.ts';
import type { Provider } from './provider.ts';

/** Postmark signs nothing (it offers basic auth in the URL and fixed IPs), so it is recognised by its `RecordType`. */
export const postmark: Provider = {
  id: 'postmark',
  name: 'Postmark',
  headers: [],
  sniff: ({ json }) => stringAt(json, 'RecordType') !== undefined && (stringAt(json, 'MessageID') !== undefined || stringAt(json, 'MessageStream') !== undefined),
  describe: createFieldDescriber({
    event: ['RecordType'],
    facts: ['{Recipient|Email|To}', '{Type|Details|Description}', 'tag {Tag}'],
  }),
};
