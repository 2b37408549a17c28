import type { z } from 'zod';
import { mergeChannels, type ChannelDef } from './define';
import { appraisalChannels } from './appraisal';
import { billingChannels } from './billing';
import { customersChannels } from './customers';
import { collectionChannels } from './collection';
import { platformChannels } from './platform';
import { readingsChannels } from './readings';
import { syncChannels } from './sync';
import { serviceChannels } from './service';

// The one table of channels (DESIGN.md "One contract, two transports"): name → input schema,
// output schema, required permission. Each desk adds its group here.
export const contract = mergeChannels(platformChannels, customersChannels, readingsChannels, billingChannels, collectionChannels, appraisalChannels, syncChannels, serviceChannels);

export type Contract = typeof contract;
export type ChannelName = keyof Contract & string;
export type InputOf<N extends ChannelName> = z.input<Contract[N]['input']>;
export type ParsedInputOf<N extends ChannelName> = z.output<Contract[N]['input']>;
export type OutputOf<N extends ChannelName> = z.output<Contract[N]['output']>;

export const CHANNEL_NAMES = Object.keys(contract) as ChannelName[];

export function isChannelName(name: string): name is ChannelName {
  return Object.hasOwn(contract, name);
}

export function channelDef(name: ChannelName): ChannelDef {
  return contract[name] as ChannelDef;
}

export type { Access, ChannelDef } from './define';
export * from './platform';
export * from './customers';
export * from './readings';
export * from './billing';
export * from './collection';
export * from './appraisal';
export * from './sync';
export * from './home';
export * from './jobs';
export * from './service';
