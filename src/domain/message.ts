/**
 * The platform-neutral reply and notification model. Every string is plain, untrusted-safe text:
 * renderers escape it for their own format and enforce their own limits.
 */
export type Tone = 'info' | 'success' | 'warning' | 'danger';

export interface Field {
  label: string;
  value: string;
}

export interface CodeBlock {
  language: 'json' | 'text' | 'http' | 'shell';
  content: string;
  /** Set when `content` is a shortened preview: the size of the whole, in characters. */
  fullLength?: number;
}

/** A button runs a command; the action is plain data, so it means the same after a restart. */
export interface Action {
  command: string;
  args: string[];
}

export interface Button {
  label: string;
  action: Action;
  style?: 'primary' | 'danger';
}

export interface Attachment {
  filename: string;
  contentType: string;
  bytes: Buffer;
  /** 'always': send the file; 'overflow': send it only when the code block does not fit the platform. */
  when: 'always' | 'overflow';
}

/** A picture that goes with the text (a chart); the text says the same in words, for places without pictures. */
export interface Image {
  filename: string;
  png: Buffer;
  /** What it shows, for screen readers and mail clients that hide images. */
  alt: string;
}

export interface Message {
  title: string;
  tone?: Tone;
  lines?: string[];
  fields?: Field[];
  code?: CodeBlock;
  buttons?: Button[];
  attachment?: Attachment;
  image?: Image;
  /** When what it reports happened (ms); platforms with timestamps show it. */
  time?: number;
  /** Only the person who asked should see it, where the platform can do that. */
  private?: boolean;
}
