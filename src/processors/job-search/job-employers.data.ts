import type { JobSector } from './job-role.model.js';

/** A fictional employer for the built-in dataset; `cities` are where it hires. */
export interface JobEmployer {
  name: string;
  sector: JobSector;
  industry: string;
  cities: readonly string[];
}

type EmployerRow = [name: string, sector: JobSector, industry: string, cities: string[]];

// Rows rather than objects keep thirty-odd employers readable on one screen.
const ROWS: EmployerRow[] = [
  ['Northwind Analytics', 'tech', 'data analytics', ['Seattle, WA, USA', 'Toronto, Canada']],
  ['Bluefin Logistics', 'logistics', 'freight and logistics', ['Rotterdam, Netherlands', 'Hamburg, Germany']],
  ['Harbor & Pine Health', 'health', 'healthcare', ['Boston, MA, USA', 'Chicago, IL, USA']],
  ['St Aldric Hospital', 'health', 'hospital care', ['Dublin, Ireland', 'Edinburgh, UK']],
  ['Lumen Ledger', 'finance', 'fintech', ['London, UK', 'Dublin, Ireland', 'Lisbon, Portugal']],
  ['Quillfeather', 'media', 'publishing', ['New York, NY, USA', 'London, UK']],
  ['Tandem Robotics', 'industrial', 'industrial robotics', ['Munich, Germany', 'Zürich, Switzerland']],
  ['Cobalt Cloudworks', 'tech', 'cloud infrastructure', ['San Francisco, CA, USA', 'Austin, TX, USA']],
  ['Greenleaf Grocers', 'retail', 'grocery retail', ['Manchester, UK', 'Leeds, UK']],
  ['Solstice Energy', 'energy', 'renewable energy', ['Copenhagen, Denmark', 'Madrid, Spain']],
  ['Kiwi Lane Studios', 'tech', 'mobile games', ['Auckland, New Zealand', 'Sydney, Australia']],
  ['Meridian Mutual', 'finance', 'insurance', ['Chicago, IL, USA', 'Charlotte, NC, USA']],
  ['Atlas Learning', 'tech', 'education technology', ['Bengaluru, India', 'Singapore']],
  ['Saffron Table Group', 'hospitality', 'restaurant', ['Paris, France', 'Lyon, France']],
  ['Copper Kettle Hotels', 'hospitality', 'hotel', ['Vienna, Austria', 'Edinburgh, UK']],
  ['Ironbridge Civic', 'public', 'public sector software', ['Ottawa, Canada', 'Montréal, Canada']],
  ['Orca Payments', 'finance', 'payments', ['Amsterdam, Netherlands', 'Berlin, Germany']],
  ['Pinecrest Schools', 'education', 'K-12 education', ['Denver, CO, USA', 'Portland, OR, USA']],
  ['Lakeside Academy Trust', 'education', 'primary education', ['Bristol, UK', 'Cardiff, UK']],
  ['Vantage Mobility', 'industrial', 'electric vehicle', ['Stockholm, Sweden', 'Gothenburg, Sweden']],
  ['Redwood Legal', 'finance', 'legal services', ['New York, NY, USA', 'Washington, DC, USA']],
  ['Nimbus Weather', 'tech', 'climate data', ['Boulder, CO, USA', 'Reykjavík, Iceland']],
  ['Fable & Thread', 'retail', 'fashion retail', ['Milan, Italy', 'Barcelona, Spain']],
  ['Polaris Biotech', 'tech', 'biotechnology', ['Cambridge, UK', 'Basel, Switzerland']],
  ['Copperline Telecom', 'tech', 'telecommunications', ['Warsaw, Poland', 'Prague, Czechia']],
  ['Sunda Marketplace', 'tech', 'online marketplace', ['Jakarta, Indonesia', 'Singapore']],
  ['Andes Agritech', 'tech', 'agriculture technology', ['Santiago, Chile', 'São Paulo, Brazil']],
  ['Baobab Health', 'health', 'digital health', ['Nairobi, Kenya', 'Cape Town, South Africa']],
  ['Sakura Systems', 'tech', 'enterprise software', ['Tokyo, Japan', 'Osaka, Japan']],
  ['Maple & Oak Bank', 'finance', 'banking', ['Toronto, Canada', 'Vancouver, Canada']],
  ['Tidewater Ports', 'logistics', 'maritime logistics', ['Singapore', 'Rotterdam, Netherlands']],
  ['Brightside Media', 'media', 'digital media', ['Los Angeles, CA, USA', 'Mexico City, Mexico']],
  ['Keystone Builders', 'construction', 'construction', ['Dallas, TX, USA', 'Phoenix, AZ, USA']],
  ['Granite Peak Utilities', 'energy', 'utilities', ['Calgary, Canada', 'Denver, CO, USA']],
];

export const JOB_EMPLOYERS: readonly JobEmployer[] = ROWS.map(([name, sector, industry, cities]) => ({
  name,
  sector,
  industry,
  cities,
}));

/** Where fully remote roles say they hire, instead of a city. */
export const REMOTE_REGIONS: readonly string[] = [
  'Remote (Europe)',
  'Remote (US)',
  'Remote (Americas)',
  'Remote (APAC)',
  'Remote (Worldwide)',
];
