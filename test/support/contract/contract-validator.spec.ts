import { ContractValidator, type Exchange } from './contract-validator.js';

/** The checker must be able to fail: each kind of violation, on a small document. */
const doc = {
  paths: {
    '/things/{id}': {
      get: {
        operationId: 'getThing',
        responses: {
          200: {
            description: 'ok',
            headers: { ETag: { $ref: '#/components/headers/ETag' } },
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Thing' } } },
          },
          304: { description: 'same' },
          default: {
            description: 'error',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorBody' } } },
          },
        },
      },
    },
    '/things/special': {
      get: { operationId: 'getSpecial', responses: { 204: { description: 'nothing' } } },
    },
    '/things/{id}/events': {
      get: {
        operationId: 'streamThing',
        responses: {
          200: {
            description: 'events',
            content: {
              'text/event-stream': {
                schema: { type: 'string' },
                'x-sse-events': { state: { schema: { $ref: '#/components/schemas/Thing' } } },
              },
            },
          },
        },
      },
    },
  },
  components: {
    headers: { ETag: { required: true, schema: { type: 'string' } } },
    schemas: {
      Thing: {
        type: 'object',
        properties: { id: { type: 'string' }, size: { type: 'integer' } },
        required: ['id'],
        additionalProperties: false,
      },
      ErrorBody: {
        type: 'object',
        properties: { statusCode: { type: 'integer' }, message: { type: 'string' } },
        required: ['statusCode', 'message'],
      },
    },
  },
};

const json = { 'content-type': 'application/json; charset=utf-8' };
const answer = (over: Partial<Exchange>): Exchange => ({
  method: 'GET',
  url: '/things/a',
  status: 200,
  headers: { ...json, etag: '"1"' },
  body: Buffer.from(JSON.stringify({ id: 'a', size: 1 })),
  complete: true,
  ...over,
});

describe('ContractValidator', () => {
  const validator = new ContractValidator(doc);

  it('accepts an answer that fits, and a literal path before the template', () => {
    expect(validator.check(answer({}))).toEqual([]);
    expect(
      validator.check(answer({ url: '/things/special', status: 204, headers: {}, body: Buffer.alloc(0) })),
    ).toEqual([]);
    expect(validator.check(answer({ status: 304, body: Buffer.alloc(0) }))).toEqual([]);
  });

  it('names the operation and the problem: status, header, body, media type', () => {
    expect(validator.check(answer({ status: 201 }))).toEqual([
      'GET /things/{id} (getThing) → 201: status 201 is not documented for this operation',
    ]);
    expect(validator.check(answer({ headers: json }))).toEqual([
      'GET /things/{id} (getThing) → 200: header ETag is required but missing',
    ]);
    expect(validator.check(answer({ body: Buffer.from('{"id":"a","extra":1}') }))[0]).toMatch(
      /^GET \/things\/\{id\} \(getThing\) → 200: body must NOT have additional properties/,
    );
    expect(validator.check(answer({ headers: { 'content-type': 'text/html', etag: '"1"' } }))[0]).toMatch(
      /content-type text\/html is not one of application\/json/,
    );
    expect(validator.check(answer({ status: 304 }))[0]).toMatch(/a body was sent/);
  });

  it('checks errors against the default answer, and unknown routes against ErrorBody', () => {
    expect(
      validator.check(answer({ status: 404, body: Buffer.from('{"statusCode":404,"message":"no"}') })),
    ).toEqual([]);
    expect(validator.check(answer({ status: 404, body: Buffer.from('{"nope":1}') }))[0]).toMatch(
      /→ 404: body must have required property/,
    );
    expect(validator.check(answer({ url: '/nowhere', status: 404, body: Buffer.from('{}') }))[0]).toMatch(
      /^GET \/nowhere \(no such operation\) → 404: body must have required property/,
    );
    expect(validator.check(answer({ url: '/nowhere' }))[0]).toMatch(/the document has no such operation/);
  });

  it('checks each finished Server-Sent Event by name and data', () => {
    const stream = (text: string) =>
      answer({
        url: '/things/a/events',
        headers: { 'content-type': 'text/event-stream' },
        body: Buffer.from(text),
      });
    expect(
      validator.check(stream('event: state\ndata: {"id":"a"}\n\n: heartbeat\n\nevent: state\ndata: {"i')),
    ).toEqual([]);
    expect(validator.check(stream('event: gone\ndata: {}\n\n'))[0]).toMatch(
      /event "gone" is not one of state/,
    );
    expect(validator.check(stream('event: state\ndata: {"size":"x"}\n\n'))[0]).toMatch(
      /event "state": body must have required property 'id'/,
    );
  });
});

describe('ContractValidator on a union with a discriminator', () => {
  const member = (type: string, field: string) => ({
    type: 'object',
    properties: { type: { type: 'string', enum: [type] }, [field]: { type: 'string' } },
    required: ['type', field],
    additionalProperties: false,
  });
  const validator = new ContractValidator({
    paths: {
      '/pets/{id}': {
        get: {
          operationId: 'getPet',
          responses: {
            200: {
              description: 'ok',
              content: { 'application/json': { schema: { $ref: '#/components/schemas/Pet' } } },
            },
          },
        },
      },
    },
    components: {
      schemas: {
        Pet: {
          oneOf: [{ $ref: '#/components/schemas/Cat' }, { $ref: '#/components/schemas/Dog' }],
          discriminator: {
            propertyName: 'type',
            mapping: { cat: '#/components/schemas/Cat', dog: '#/components/schemas/Dog' },
          },
        },
        Cat: member('cat', 'purr'),
        Dog: member('dog', 'bark'),
      },
    },
  });
  const pet = (value: unknown) =>
    validator.check({
      method: 'GET',
      url: '/pets/1',
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: Buffer.from(JSON.stringify(value)),
      complete: true,
    });

  it('reports only what is wrong with the member the discriminator names', () => {
    expect(pet({ type: 'dog', bark: 'woof' })).toEqual([]);
    expect(pet({ type: 'dog', purr: 'rrr' })).toEqual([
      'GET /pets/{id} (getPet) → 200: body must have required property \'bark\' {"missingProperty":"bark"}',
      'GET /pets/{id} (getPet) → 200: body must NOT have additional properties {"additionalProperty":"purr"}',
    ]);
    expect(pet({ type: 'fish' })[0]).toMatch(/body\/type must be equal to one of the allowed values/);
  });
});
