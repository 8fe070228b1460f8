import type { JobRole } from './job-role.model.js';

const LEVELS = ['', '', 'Senior'] as const;

/** Hands-on roles done on site, each posted only by employers of a fitting sector. */
export const FRONTLINE_JOB_ROLES: readonly JobRole[] = [
  {
    title: 'Registered Nurse',
    levels: LEVELS,
    skills: ['patient care', 'medication administration', 'triage', 'electronic health records', 'BLS'],
    summary: 'Provide safe, compassionate care on a busy medical-surgical ward.',
    remotable: false,
    sectors: ['health'],
  },
  {
    title: 'Pharmacist',
    levels: LEVELS,
    skills: ['dispensing', 'patient counseling', 'medication review', 'compliance', 'inventory'],
    summary: 'Dispense safely and advise patients in a community pharmacy.',
    remotable: false,
    sectors: ['health', 'retail'],
  },
  {
    title: 'Primary School Teacher',
    levels: ['', 'Senior'],
    skills: ['lesson planning', 'classroom management', 'literacy', 'numeracy', 'safeguarding'],
    summary: 'Teach a class of eight-year-olds and help every child make progress.',
    remotable: false,
    sectors: ['education'],
  },
  {
    title: 'Warehouse Associate',
    levels: ['', 'Lead'],
    skills: ['picking and packing', 'forklift', 'inventory', 'health and safety', 'shipping'],
    summary: 'Receive, store and ship orders accurately in our fulfilment centre.',
    remotable: false,
    sectors: ['logistics', 'retail'],
  },
  {
    title: 'Logistics Coordinator',
    levels: LEVELS,
    skills: ['freight', 'route planning', 'customs', 'supplier communication', 'ERP'],
    summary: 'Coordinate inbound and outbound shipments across carriers and countries.',
    remotable: true,
    sectors: ['logistics', 'retail', 'industrial', 'energy'],
  },
  {
    title: 'Electrician',
    levels: ['', 'Senior', 'Lead'],
    skills: ['electrical installation', 'wiring', 'maintenance', 'blueprints', 'safety codes'],
    summary: 'Install and maintain electrical systems in commercial buildings.',
    remotable: false,
    sectors: ['construction', 'energy', 'industrial'],
  },
  {
    title: 'Chef de Partie',
    levels: [''],
    skills: ['food preparation', 'menu development', 'food safety', 'kitchen management', 'pastry'],
    summary: 'Run a section of a seasonal kitchen that cooks everything from scratch.',
    remotable: false,
    sectors: ['hospitality'],
  },
  {
    title: 'Store Manager',
    levels: ['', 'Senior'],
    skills: ['retail operations', 'team leadership', 'merchandising', 'scheduling', 'sales targets'],
    summary: 'Lead a store team of twenty and own sales, service and stock.',
    remotable: false,
    sectors: ['retail'],
  },
  {
    title: 'Legal Counsel',
    levels: ['', 'Senior'],
    skills: ['commercial contracts', 'GDPR', 'negotiation', 'compliance', 'corporate law'],
    summary: 'Draft and negotiate contracts and advise on privacy and compliance.',
    remotable: true,
  },
  {
    title: 'Office Manager',
    levels: [''],
    skills: ['office operations', 'vendor management', 'events', 'facilities', 'administration'],
    summary: 'Make our office a place people enjoy coming to.',
    remotable: false,
  },
];
