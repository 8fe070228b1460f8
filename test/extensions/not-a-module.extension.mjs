// A mistaken extension: its default export is not a Nest module. The service must refuse to start.
export default { name: 'not a module' };
