import { busContract } from './bus.contract.js';
import { createMemoryBus } from './memory-bus.js';

busContract('memory', () => Promise.resolve(createMemoryBus()));
