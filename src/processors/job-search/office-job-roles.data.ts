import type { JobRole } from './job-role.model.js';

const LEVELS = ['', '', 'Senior', 'Lead'] as const;
const SITE_LEVELS = ['', '', 'Senior'] as const;

/** Product, business and support roles that most employers hire, whatever their sector. */
export const OFFICE_JOB_ROLES: readonly JobRole[] = [
  {
    title: 'Engineering Manager',
    levels: ['', 'Senior'],
    skills: ['people management', 'hiring', 'delivery', 'coaching', 'technical strategy'],
    summary: 'Lead a team of six to eight engineers and grow them while shipping.',
    remotable: true,
  },
  {
    title: 'Product Manager',
    levels: LEVELS,
    skills: ['product discovery', 'roadmapping', 'user research', 'analytics', 'stakeholder management'],
    summary: 'Decide what we build next, and why, with engineering and design.',
    remotable: true,
  },
  {
    title: 'Product Designer',
    levels: LEVELS,
    skills: ['Figma', 'interaction design', 'prototyping', 'design systems', 'usability testing'],
    summary: 'Turn messy problems into simple flows, and test them with real users.',
    remotable: true,
  },
  {
    title: 'UX Researcher',
    levels: LEVELS,
    skills: ['interviews', 'usability testing', 'surveys', 'synthesis', 'journey mapping'],
    summary: 'Plan and run research that changes what the product team builds.',
    remotable: true,
  },
  {
    title: 'Technical Writer',
    levels: LEVELS,
    skills: ['documentation', 'Markdown', 'API references', 'docs-as-code', 'editing'],
    summary: 'Write the guides and API references developers rely on.',
    remotable: true,
  },
  {
    title: 'IT Support Specialist',
    levels: SITE_LEVELS,
    skills: ['help desk', 'Windows', 'macOS', 'Microsoft 365', 'networking'],
    summary: 'Help colleagues stay productive with laptops, accounts and office networks.',
    remotable: false,
  },
  {
    title: 'Data Analyst',
    levels: LEVELS,
    skills: ['SQL', 'Excel', 'Tableau', 'dashboards', 'reporting'],
    summary: 'Turn data into dashboards and recommendations the business acts on.',
    remotable: true,
  },
  {
    title: 'Account Executive',
    levels: LEVELS,
    skills: ['B2B sales', 'negotiation', 'Salesforce', 'pipeline management', 'SaaS'],
    summary: 'Win new mid-market customers and own the deal from first call to signature.',
    remotable: true,
  },
  {
    title: 'Customer Success Manager',
    levels: LEVELS,
    skills: ['onboarding', 'renewals', 'account management', 'customer advocacy', 'CRM'],
    summary: 'Make sure our customers get value, renew and grow with us.',
    remotable: true,
  },
  {
    title: 'Customer Support Agent',
    levels: SITE_LEVELS,
    skills: ['Zendesk', 'customer service', 'written communication', 'troubleshooting', 'empathy'],
    summary: 'Answer customer questions by chat and email and solve problems on first contact.',
    remotable: true,
  },
  {
    title: 'Marketing Manager',
    levels: LEVELS,
    skills: ['campaigns', 'content marketing', 'SEO', 'marketing automation', 'budgeting'],
    summary: 'Plan and run campaigns that bring qualified leads to the sales team.',
    remotable: true,
  },
  {
    title: 'Content Writer',
    levels: LEVELS,
    skills: ['copywriting', 'SEO', 'editing', 'storytelling', 'content strategy'],
    summary: 'Write articles, case studies and newsletters people actually read.',
    remotable: true,
  },
  {
    title: 'Recruiter',
    levels: LEVELS,
    skills: ['technical recruiting', 'sourcing', 'interviewing', 'employer branding', 'ATS'],
    summary: 'Find and hire great people, and give every candidate a fair process.',
    remotable: true,
  },
  {
    title: 'HR Business Partner',
    levels: ['', 'Senior'],
    skills: ['employee relations', 'performance management', 'employment law', 'coaching', 'HRIS'],
    summary: 'Advise leaders on people matters and shape how our teams grow.',
    remotable: true,
  },
  {
    title: 'Accountant',
    levels: LEVELS,
    skills: ['bookkeeping', 'month-end close', 'IFRS', 'reconciliations', 'Excel'],
    summary: 'Own the month-end close and keep our books accurate and audit-ready.',
    remotable: true,
  },
  {
    title: 'Financial Analyst',
    levels: LEVELS,
    skills: ['financial modeling', 'forecasting', 'budgeting', 'Excel', 'variance analysis'],
    summary: 'Build the forecasts and models leadership uses to plan the year.',
    remotable: true,
  },
  {
    title: 'Project Manager',
    levels: LEVELS,
    skills: ['project planning', 'risk management', 'Agile', 'stakeholder management', 'budget tracking'],
    summary: 'Keep cross-team projects on time, on budget and clearly communicated.',
    remotable: true,
  },
];
