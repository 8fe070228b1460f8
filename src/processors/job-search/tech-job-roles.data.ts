import type { JobRole } from './job-role.model.js';

const LEVELS = ['Junior', '', '', 'Senior', 'Staff'] as const;
const OFFICE_LEVELS = ['', '', 'Senior', 'Lead'] as const;

/** Software and IT roles; each engineering title gets the usual ladder. */
export const TECH_JOB_ROLES: readonly JobRole[] = [
  {
    title: 'Backend Engineer',
    levels: LEVELS,
    skills: ['TypeScript', 'Node.js', 'PostgreSQL', 'Redis', 'REST APIs'],
    summary: 'Design and run the services behind our product, from schema changes to on-call.',
    remotable: true,
  },
  {
    title: 'Frontend Engineer',
    levels: LEVELS,
    skills: ['React', 'TypeScript', 'CSS', 'accessibility', 'Vite'],
    summary: 'Build fast, accessible interfaces together with design and product.',
    remotable: true,
  },
  {
    title: 'Full Stack Developer',
    levels: LEVELS,
    skills: ['JavaScript', 'React', 'Node.js', 'GraphQL', 'MongoDB'],
    summary: 'Ship features end to end, from the database to the browser.',
    remotable: true,
  },
  {
    title: 'Python Developer',
    levels: LEVELS,
    skills: ['Python', 'Django', 'Celery', 'PostgreSQL', 'pytest'],
    summary: 'Extend our Django platform and the data pipelines that feed it.',
    remotable: true,
  },
  {
    title: 'Java Software Engineer',
    levels: LEVELS,
    skills: ['Java', 'Spring Boot', 'Kafka', 'microservices', 'JUnit'],
    summary: 'Own event-driven services that process millions of transactions a day.',
    remotable: true,
  },
  {
    title: 'Go Engineer',
    levels: LEVELS,
    skills: ['Go', 'gRPC', 'Kubernetes', 'Prometheus', 'distributed systems'],
    summary: 'Write the low-latency services and internal tooling at the core of our platform.',
    remotable: true,
  },
  {
    title: 'iOS Developer',
    levels: LEVELS,
    skills: ['Swift', 'SwiftUI', 'Xcode', 'Core Data', 'App Store releases'],
    summary: 'Craft the iPhone app our customers open every day.',
    remotable: true,
  },
  {
    title: 'Android Developer',
    levels: LEVELS,
    skills: ['Kotlin', 'Jetpack Compose', 'Android SDK', 'Gradle', 'Firebase'],
    summary: 'Lead features in our Android app from prototype to Play Store rollout.',
    remotable: true,
  },
  {
    title: 'DevOps Engineer',
    levels: LEVELS,
    skills: ['Kubernetes', 'Terraform', 'AWS', 'CI/CD', 'Linux'],
    summary: 'Automate our infrastructure and make deployments boring.',
    remotable: true,
  },
  {
    title: 'Site Reliability Engineer',
    levels: LEVELS,
    skills: ['SLOs', 'Prometheus', 'Grafana', 'incident response', 'Go'],
    summary: 'Keep our platform fast and available, and make incidents rarer and shorter.',
    remotable: true,
  },
  {
    title: 'Data Engineer',
    levels: LEVELS,
    skills: ['SQL', 'Apache Spark', 'Airflow', 'dbt', 'Snowflake'],
    summary: 'Build reliable pipelines that turn raw events into trusted datasets.',
    remotable: true,
  },
  {
    title: 'Data Scientist',
    levels: LEVELS,
    skills: ['Python', 'statistics', 'pandas', 'experimentation', 'SQL'],
    summary: 'Answer product questions with experiments, models and clear writing.',
    remotable: true,
  },
  {
    title: 'Machine Learning Engineer',
    levels: LEVELS,
    skills: ['PyTorch', 'Python', 'MLOps', 'model serving', 'feature stores'],
    summary: 'Train, evaluate and serve the models behind our recommendations.',
    remotable: true,
  },
  {
    title: 'Security Engineer',
    levels: LEVELS,
    skills: ['threat modeling', 'application security', 'OWASP', 'cloud security', 'penetration testing'],
    summary: 'Find weaknesses before attackers do and help teams fix them.',
    remotable: true,
  },
  {
    title: 'QA Automation Engineer',
    levels: LEVELS,
    skills: ['Playwright', 'Cypress', 'test automation', 'TypeScript', 'CI/CD'],
    summary: 'Grow the automated test suites that let us release several times a day.',
    remotable: true,
  },
  {
    title: 'Embedded Software Engineer',
    levels: LEVELS,
    skills: ['C', 'C++', 'RTOS', 'ARM Cortex-M', 'hardware bring-up'],
    summary: 'Write firmware for connected devices that run for years on one battery.',
    remotable: false,
    sectors: ['industrial', 'energy', 'tech'],
  },
  {
    title: 'Database Administrator',
    levels: OFFICE_LEVELS,
    skills: ['PostgreSQL', 'MySQL', 'backups', 'replication', 'query tuning'],
    summary: 'Keep our databases healthy, fast and recoverable.',
    remotable: true,
  },
];
